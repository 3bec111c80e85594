-- pgmig:revision many_index_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: its index stays behind
-- pgmig:lint-ignore blocking-index

-- pgmig:upgrade
CREATE INDEX users_email_idx ON users (email);

-- pgmig:downgrade
SELECT 1;
