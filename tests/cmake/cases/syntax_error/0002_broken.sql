-- pgmig:revision bb02
-- pgmig:revises 4f1c2a9b7e10

-- pgmig:upgrade
ALTER TABLE users ADD COLUMN name text;
-- the next statement is misspelled
CREATE TABL audit (id int);

-- pgmig:downgrade
DROP TABLE audit;
ALTER TABLE users DROP COLUMN name;
