-- A column's type, default and nullability change.
-- from
CREATE TABLE t (id int, amount int DEFAULT 1, label varchar(10));
-- to
CREATE TABLE t (id int NOT NULL, amount bigint DEFAULT 42, label text COLLATE "C");
