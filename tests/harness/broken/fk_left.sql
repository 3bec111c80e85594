-- pgmig:revision bad_fk_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: fk_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE audit ADD COLUMN user_id bigint;
ALTER TABLE audit ADD CONSTRAINT audit_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;

-- pgmig:downgrade
ALTER TABLE audit DROP CONSTRAINT audit_user_fk;
ALTER TABLE audit DROP COLUMN user_id;
ALTER TABLE audit ADD COLUMN user_id bigint REFERENCES users (id);
