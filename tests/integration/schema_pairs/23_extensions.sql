-- An extension and a column of its type.
-- from
CREATE TABLE tags (id int);
-- to
CREATE EXTENSION citext;
CREATE TABLE tags (id int, name citext);
