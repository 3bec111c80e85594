-- pgmig:revision floor_column_left
-- pgmig:revises floor_here
-- pgmig:message Broken on purpose, above the floor: its column stays behind

-- pgmig:upgrade
ALTER TABLE users ADD COLUMN nickname text;

-- pgmig:downgrade
SELECT 1;
