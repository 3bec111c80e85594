-- pgmig:revision aa02
-- pgmig:revises aa01
-- pgmig:upgrade
ALTER TABLE a DROP COLUMN note;
-- pgmig:downgrade
ALTER TABLE a ADD COLUMN note text;
