-- A chain of views over a table goes away with the table.
-- from
CREATE TABLE base (a int, b int);
CREATE VIEW v1 AS SELECT a FROM base;
CREATE VIEW v2 AS SELECT a FROM v1 WHERE a > 0;
CREATE VIEW v3 AS SELECT count(*) AS n FROM v2;
-- to
