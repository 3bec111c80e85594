-- pgmig:revision aa01
-- pgmig:upgrade
CREATE TABLE t (id int);

-- pgmig:downgrade
-- TODO
