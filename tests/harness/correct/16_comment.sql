-- pgmig:revision good16_comment
-- pgmig:revises good15_rls
-- pgmig:message Done right: comment
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
COMMENT ON TABLE users IS 'people who sign in';
COMMENT ON COLUMN users.email IS 'where to write';

-- pgmig:downgrade
COMMENT ON COLUMN users.email IS NULL;
COMMENT ON TABLE users IS NULL;
