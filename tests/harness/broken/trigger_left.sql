-- pgmig:revision bad_trigger_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: trigger_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();

-- pgmig:downgrade
SELECT 1;
