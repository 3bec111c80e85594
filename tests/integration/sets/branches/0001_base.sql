-- pgmig:revision base00000001
-- pgmig:message Shared base

-- pgmig:upgrade
CREATE TABLE accounts (id int PRIMARY KEY);

-- pgmig:downgrade
DROP TABLE accounts;
