-- pgmig:revision k2k2k2k2k2k2
-- pgmig:revises k1k1k1k1k1k1
-- pgmig:message Index items without blocking writes
-- pgmig:transaction off

-- pgmig:upgrade
CREATE INDEX CONCURRENTLY items_id_idx ON items (id);
CREATE INDEX CONCURRENTLY items_name_idx ON items (name);

-- pgmig:downgrade
DROP INDEX CONCURRENTLY items_name_idx;
DROP INDEX CONCURRENTLY items_id_idx;
