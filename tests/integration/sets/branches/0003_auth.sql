-- pgmig:revision auth00000003
-- pgmig:revises base00000001
-- pgmig:branch-labels auth
-- pgmig:message Logins

-- pgmig:upgrade
CREATE TABLE logins (id int PRIMARY KEY, account_id int REFERENCES accounts (id));

-- pgmig:downgrade
DROP TABLE logins;
