-- PostgreSQL 15's NULLS NOT DISTINCT, on a constraint and on an index.
-- from
CREATE TABLE u (a int, b int);
-- to
CREATE TABLE u (a int, b int, CONSTRAINT u_a_key UNIQUE NULLS NOT DISTINCT (a));
CREATE UNIQUE INDEX u_b_idx ON u (b) NULLS NOT DISTINCT;
