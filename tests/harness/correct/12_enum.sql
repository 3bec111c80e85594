-- pgmig:revision good12_enum
-- pgmig:revises good11_trigger
-- pgmig:message Done right: enum
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE TYPE mood AS ENUM ('happy', 'sad');
ALTER TABLE users ADD COLUMN mood mood;

-- pgmig:downgrade
ALTER TABLE users DROP COLUMN mood;
DROP TYPE mood;
