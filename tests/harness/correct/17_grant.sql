-- pgmig:revision good17_grant
-- pgmig:revises good16_comment
-- pgmig:message Done right: grant
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
GRANT SELECT ON users TO PUBLIC;

-- pgmig:downgrade
REVOKE SELECT ON users FROM PUBLIC;
