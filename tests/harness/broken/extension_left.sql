-- pgmig:revision bad_extension_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: extension_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE EXTENSION IF NOT EXISTS citext;

-- pgmig:downgrade
SELECT 1;
