-- pgmig:revision bad_data_lost
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: the downgrade loses the names
-- pgmig:lint-ignore drop-column

-- pgmig:upgrade
ALTER TABLE users ADD COLUMN full_name text;
UPDATE users SET full_name = name;
ALTER TABLE users DROP COLUMN name;

-- pgmig:downgrade
ALTER TABLE users ADD COLUMN name text;
ALTER TABLE users DROP COLUMN full_name;
