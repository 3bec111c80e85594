-- pgmig:revision good02_column
-- pgmig:revises good01_index
-- pgmig:message Done right: column
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ADD COLUMN nickname text;

-- pgmig:downgrade
ALTER TABLE users DROP COLUMN nickname;
