-- pgmig:revision bad_grant_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: grant_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
GRANT SELECT ON users TO PUBLIC;

-- pgmig:downgrade
SELECT 1;
