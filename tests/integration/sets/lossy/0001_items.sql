-- pgmig:revision a1a1a1a1a1a1
-- pgmig:message Items, with three rows

-- pgmig:upgrade
CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three');

-- pgmig:downgrade
DROP TABLE items;
