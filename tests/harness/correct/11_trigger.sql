-- pgmig:revision good11_trigger
-- pgmig:revises good10_function
-- pgmig:message Done right: trigger
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();

-- pgmig:downgrade
DROP TRIGGER users_touch ON users;
