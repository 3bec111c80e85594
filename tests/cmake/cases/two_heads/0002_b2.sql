-- pgmig:revision b2
-- pgmig:revises aa01
-- pgmig:upgrade
CREATE TABLE b2 (id int);
-- pgmig:downgrade
DROP TABLE b2;
