-- pgmig:revision bill00000002
-- pgmig:revises base00000001
-- pgmig:branch-labels billing
-- pgmig:message Invoices

-- pgmig:upgrade
CREATE TABLE invoices (id int PRIMARY KEY, account_id int REFERENCES accounts (id));

-- pgmig:downgrade
DROP TABLE invoices;
