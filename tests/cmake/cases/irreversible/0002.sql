-- pgmig:revision aa02
-- pgmig:revises aa01
-- pgmig:upgrade
DELETE FROM a WHERE id < 0;
-- pgmig:downgrade irreversible deleted rows cannot be restored
