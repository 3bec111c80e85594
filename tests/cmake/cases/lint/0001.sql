-- pgmig:revision aa01
-- pgmig:upgrade
CREATE TABLE a (id int, note text);
-- pgmig:downgrade
DROP TABLE a;
