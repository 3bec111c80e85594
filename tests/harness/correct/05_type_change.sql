-- pgmig:revision good05_type_change
-- pgmig:revises good04_not_null
-- pgmig:message Done right: type_change
-- pgmig:lint-ignore blocking-index set-not-null validated-constraint rename drop-table
-- pgmig:safety-assured alter-column-type users is small in every deployment

-- pgmig:upgrade
ALTER TABLE users ALTER COLUMN name TYPE varchar(100);

-- pgmig:downgrade
ALTER TABLE users ALTER COLUMN name TYPE text;
