-- pgmig:revision bad_default_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: default_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ALTER COLUMN email SET DEFAULT 'nobody';

-- pgmig:downgrade
SELECT 1;
