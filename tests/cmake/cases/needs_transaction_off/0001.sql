-- pgmig:revision aa01
-- pgmig:upgrade
CREATE INDEX CONCURRENTLY a_idx ON a (id);
-- pgmig:downgrade
DROP INDEX CONCURRENTLY a_idx;
