-- pgmig:revision bad_type_changed
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: type_changed
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ALTER COLUMN name TYPE varchar(100);

-- pgmig:downgrade
ALTER TABLE users ALTER COLUMN name TYPE varchar(200);
