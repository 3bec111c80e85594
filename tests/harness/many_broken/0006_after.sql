-- pgmig:revision many_after
-- pgmig:revises many_up_fails
-- pgmig:message Correct, but it needs the revision whose upgrade fails

-- pgmig:upgrade
CREATE TABLE later (id int);

-- pgmig:downgrade
DROP TABLE later;
