-- pgmig:revision good03_default
-- pgmig:revises good02_column
-- pgmig:message Done right: default
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ALTER COLUMN email SET DEFAULT 'nobody';

-- pgmig:downgrade
ALTER TABLE users ALTER COLUMN email DROP DEFAULT;
