-- pgmig:revision good04_not_null
-- pgmig:revises good03_default
-- pgmig:message Done right: not_null
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
UPDATE users SET name = '' WHERE name IS NULL;
ALTER TABLE users ALTER COLUMN name SET NOT NULL;

-- pgmig:downgrade
ALTER TABLE users ALTER COLUMN name DROP NOT NULL;
