-- pgmig:revision aa01
-- pgmig:message Users

-- pgmig:upgrade
CREATE TABLE users (id int PRIMARY KEY, name text);

-- pgmig:downgrade
DROP TABLE users;
