-- A function with an SQL-standard body (BEGIN ATOMIC), which records its dependencies.
-- from
-- to
CREATE TABLE price (id int, amount numeric);
CREATE FUNCTION total() RETURNS numeric LANGUAGE sql BEGIN ATOMIC SELECT sum(amount) FROM price; END;
