-- pgmig:revision good07_foreign_key
-- pgmig:revises good06_check
-- pgmig:message Done right: foreign_key
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE audit ADD COLUMN user_id bigint REFERENCES users (id) ON DELETE CASCADE;

-- pgmig:downgrade
ALTER TABLE audit DROP COLUMN user_id;
