-- pgmig:revision good19_table_rename
-- pgmig:revises good18_data
-- pgmig:message Done right: table_rename
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE TABLE drafts (id int PRIMARY KEY);
ALTER TABLE drafts RENAME TO notes;
CREATE VIEW recent_notes AS SELECT id FROM notes;

-- pgmig:downgrade
DROP VIEW recent_notes;
DROP TABLE notes;
