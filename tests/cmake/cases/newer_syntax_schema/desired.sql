CREATE TABLE orders (id bigint PRIMARY KEY, note text);
ALTER TABLE orders ADD CONSTRAINT orders_note_not_null NOT NULL note;
CREATE VIEW order_ids AS SELECT id FROM (SELECT id FROM orders);
