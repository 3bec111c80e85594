-- pgmig:revision b1
-- pgmig:revises aa01
-- pgmig:upgrade
CREATE TABLE b1 (id int);
-- pgmig:downgrade
DROP TABLE b1;
