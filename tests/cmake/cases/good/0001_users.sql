-- pgmig:revision 4f1c2a9b7e10
-- pgmig:message Add users table

-- pgmig:upgrade
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);

-- pgmig:downgrade
DROP TABLE users;
