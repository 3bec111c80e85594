-- pgmig:revision good14_rename
-- pgmig:revises good13_extension
-- pgmig:message Done right: rename
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE audit RENAME COLUMN note TO remark;

-- pgmig:downgrade
ALTER TABLE audit RENAME COLUMN remark TO note;
