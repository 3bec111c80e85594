-- pgmig:revision bad_not_null_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: not_null_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- pgmig:downgrade
SELECT 1;
