-- pgmig:revision good09_view
-- pgmig:revises good08_sequence
-- pgmig:message Done right: view
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE VIEW active_users AS SELECT id, email FROM users WHERE email IS NOT NULL;

-- pgmig:downgrade
DROP VIEW active_users;
