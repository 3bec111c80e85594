-- pgmig:revision ab01
-- pgmig:message Orders, in PostgreSQL 18's syntax

-- pgmig:upgrade
CREATE TABLE orders (id bigint PRIMARY KEY, note text);
ALTER TABLE orders ADD CONSTRAINT orders_note_not_null NOT NULL note;
CREATE VIEW order_ids AS SELECT id FROM (SELECT id FROM orders);

-- pgmig:downgrade
DROP VIEW order_ids;
DROP TABLE orders;
