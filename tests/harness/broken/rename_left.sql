-- pgmig:revision bad_rename_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: rename_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users RENAME COLUMN email TO mail;

-- pgmig:downgrade
SELECT 1;
