-- pgmig:revision good15_rls
-- pgmig:revises good14_rename
-- pgmig:message Done right: rls
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users USING (true);

-- pgmig:downgrade
DROP POLICY users_self ON users;
ALTER TABLE users DISABLE ROW LEVEL SECURITY;
