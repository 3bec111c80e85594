-- pgmig:revision bad_data_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: data_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
INSERT INTO settings (key, value) VALUES ('theme', 'dark');

-- pgmig:downgrade
SELECT 1;
