-- pgmig:revision c9d8e7f60514
-- pgmig:revises a71b35e9c403
-- pgmig:message Only known order statuses
-- pgmig:lock-timeout 5s

-- pgmig:upgrade
-- NOT VALID takes a brief lock; VALIDATE then checks old rows without blocking writes.
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_status_check;

-- pgmig:downgrade
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
