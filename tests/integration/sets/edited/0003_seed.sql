-- pgmig:revision c3c3c3c3c3c3
-- pgmig:revises b2b2b2b2b2b2
-- pgmig:message Seed two items

-- pgmig:upgrade
INSERT INTO items (id, name, price) VALUES (1, 'one', 1.5), (2, 'two', 2.75);

-- pgmig:downgrade
DELETE FROM items WHERE id IN (1, 2);
