-- pgmig:revision k1k1k1k1k1k1
-- pgmig:message Create items

-- pgmig:upgrade
CREATE TABLE items (id int, name text);

-- pgmig:downgrade
DROP TABLE items;
