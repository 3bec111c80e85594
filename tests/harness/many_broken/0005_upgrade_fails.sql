-- pgmig:revision many_up_fails
-- pgmig:revises many_column_left
-- pgmig:message Broken on purpose: its upgrade fails on a real server

-- pgmig:upgrade
CREATE TABLE ledger (id int);
SELECT 1 / (SELECT count(*) FROM ledger);

-- pgmig:downgrade
DROP TABLE ledger;
