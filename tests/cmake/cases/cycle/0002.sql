-- pgmig:revision c02
-- pgmig:revises c01
-- pgmig:upgrade
SELECT 2;
-- pgmig:downgrade
SELECT 2;
