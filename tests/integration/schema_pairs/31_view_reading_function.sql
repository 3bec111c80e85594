-- A view calling a function, both new; a view over two tables.
-- from
CREATE TABLE x (id int, n int);
CREATE TABLE y (id int, label text);
-- to
CREATE TABLE x (id int, n int);
CREATE TABLE y (id int, label text);
CREATE FUNCTION double_it(i int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT i * 2';
CREATE VIEW xy AS SELECT x.id, double_it(x.n) AS n2, y.label FROM x JOIN y USING (id);
