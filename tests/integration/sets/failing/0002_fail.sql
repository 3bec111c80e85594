-- pgmig:revision f2f2f2f2f2f2
-- pgmig:revises a1a1a1a1a1a1
-- pgmig:message Refers to a table that does not exist

-- pgmig:upgrade
CREATE TABLE audit (id int);
INSERT INTO audit SELECT id FROM no_such_table;

-- pgmig:downgrade
DROP TABLE audit;
