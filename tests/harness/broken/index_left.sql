-- pgmig:revision bad_index_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: index_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE INDEX users_email_idx ON users (email);

-- pgmig:downgrade
SELECT 1;
