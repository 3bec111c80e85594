-- pgmig:revision bad_column_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: column_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ADD COLUMN nickname text;

-- pgmig:downgrade
SELECT 1;
