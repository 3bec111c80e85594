-- pgmig:revision d4d4d4d4d4d4
-- pgmig:revises  c3c3c3c3c3c3
-- pgmig:message  Books get an ISBN

-- pgmig:upgrade
ALTER TABLE books ADD COLUMN isbn text;

-- pgmig:downgrade
ALTER TABLE books DROP COLUMN isbn;
