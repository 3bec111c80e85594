-- pgmig:revision c01
-- pgmig:revises c03
-- pgmig:upgrade
SELECT 1;
-- pgmig:downgrade
SELECT 1;
