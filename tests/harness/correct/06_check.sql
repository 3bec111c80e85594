-- pgmig:revision good06_check
-- pgmig:revises good05_type_change
-- pgmig:message Done right: check
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email LIKE '%@%') NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_email_check;

-- pgmig:downgrade
ALTER TABLE users DROP CONSTRAINT users_email_check;
