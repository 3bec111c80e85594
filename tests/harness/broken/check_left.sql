-- pgmig:revision bad_check_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: check_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email LIKE '%@%');

-- pgmig:downgrade
SELECT 1;
