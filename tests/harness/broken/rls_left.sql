-- pgmig:revision bad_rls_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: rls_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users USING (true);

-- pgmig:downgrade
DROP POLICY users_self ON users;
