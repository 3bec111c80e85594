-- pgmig:revision good01_index
-- pgmig:revises base0000base
-- pgmig:message Done right: index
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE INDEX users_email_idx ON users (email);

-- pgmig:downgrade
DROP INDEX users_email_idx;
