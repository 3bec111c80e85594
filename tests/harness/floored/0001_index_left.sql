-- pgmig:revision floor_index_left
-- pgmig:revises base0000base
-- pgmig:message Old history: its index stays behind, and nobody will downgrade through it
-- pgmig:lint-ignore blocking-index

-- pgmig:upgrade
CREATE INDEX users_email_idx ON users (email);

-- pgmig:downgrade
SELECT 1;
