-- pgmig:revision aa01
-- pgmig:upgrade
CREATE TABLE b (id int);
-- pgmig:downgrade
DROP TABLE b;
