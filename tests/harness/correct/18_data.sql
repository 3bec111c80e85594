-- pgmig:revision good18_data
-- pgmig:revises good17_grant
-- pgmig:message Done right: data
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
INSERT INTO settings (key, value) VALUES ('theme', 'dark');

-- pgmig:downgrade
DELETE FROM settings WHERE key = 'theme';
