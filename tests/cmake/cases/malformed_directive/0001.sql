-- pgmig:revision aa01
-- pgmig:message Typo in a directive
-- pgmig:revices zz
-- pgmig:upgrade
CREATE TABLE a (id int);
-- pgmig:downgrade
DROP TABLE a;
