-- pgmig:revision aa01
-- pgmig:message No way back

-- pgmig:upgrade
CREATE TABLE t (id int);
