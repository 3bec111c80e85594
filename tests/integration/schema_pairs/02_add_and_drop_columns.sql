-- Columns added and dropped on a table that stays.
-- from
CREATE TABLE items (id int PRIMARY KEY, legacy text, price numeric);
-- to
CREATE TABLE items (id int PRIMARY KEY, price numeric, sku text NOT NULL DEFAULT '', note text);
