-- A view changes and another reads it; a column it reads changes type.
-- from
CREATE TABLE orders (id int, total int, status text);
CREATE VIEW big AS SELECT id, total FROM orders WHERE total > 100;
CREATE VIEW big_ids AS SELECT id FROM big;
-- to
CREATE TABLE orders (id int, total bigint, status text);
CREATE VIEW big AS SELECT id, total, status FROM orders WHERE total > 1000;
CREATE VIEW big_ids AS SELECT id FROM big;
CREATE VIEW open_orders WITH (security_barrier) AS SELECT * FROM orders WHERE status = 'open';
