-- pgmig:revision c03
-- pgmig:revises c02
-- pgmig:upgrade
SELECT 3;
-- pgmig:downgrade
SELECT 3;
