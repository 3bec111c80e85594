-- pgmig:revision many_column_left
-- pgmig:revises many_good
-- pgmig:message Broken on purpose: its column stays behind

-- pgmig:upgrade
ALTER TABLE users ADD COLUMN nickname text;

-- pgmig:downgrade
SELECT 1;
