-- pgmig:revision a1a1a1a1a1a1
-- pgmig:message Create items

-- pgmig:upgrade
CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL);

-- pgmig:downgrade
DROP TABLE items;
