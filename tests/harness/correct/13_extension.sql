-- pgmig:revision good13_extension
-- pgmig:revises good12_enum
-- pgmig:message Done right: extension
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE EXTENSION IF NOT EXISTS citext;

-- pgmig:downgrade
DROP EXTENSION citext;
