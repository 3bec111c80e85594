-- Comments on tables, columns, constraints, indexes, views, functions and types.
-- from
CREATE TABLE c (id int CONSTRAINT c_pk PRIMARY KEY, v text);
COMMENT ON TABLE c IS 'old';
COMMENT ON COLUMN c.v IS 'a value';
CREATE VIEW cv AS SELECT id FROM c;
-- to
CREATE TABLE c (id int CONSTRAINT c_pk PRIMARY KEY, v text);
COMMENT ON TABLE c IS 'new; it''s quoted';
COMMENT ON CONSTRAINT c_pk ON c IS 'the key';
CREATE INDEX c_v_idx ON c (v);
COMMENT ON INDEX c_v_idx IS 'by value';
CREATE VIEW cv AS SELECT id, v FROM c;
COMMENT ON VIEW cv IS 'a view';
COMMENT ON COLUMN cv.v IS 'from c';
CREATE TYPE kind AS ENUM ('a');
COMMENT ON TYPE kind IS 'kinds';
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS 'SELECT x';
COMMENT ON FUNCTION f(int) IS 'identity';
