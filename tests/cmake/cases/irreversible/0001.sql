-- pgmig:revision aa01
-- pgmig:upgrade
CREATE TABLE a (id int);
-- pgmig:downgrade
DROP TABLE a;
