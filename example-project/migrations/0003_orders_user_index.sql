-- pgmig:revision a71b35e9c403
-- pgmig:revises 8c4e0d2a6b12
-- pgmig:message Index orders by user without blocking writes
-- pgmig:transaction off
-- pgmig:lock-timeout 5s

-- pgmig:upgrade
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);

-- pgmig:downgrade
DROP INDEX CONCURRENTLY IF EXISTS orders_user_id_idx;
