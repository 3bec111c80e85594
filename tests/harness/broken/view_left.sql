-- pgmig:revision bad_view_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: view_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE VIEW active_users AS SELECT id, email FROM users WHERE email IS NOT NULL;

-- pgmig:downgrade
SELECT 1;
