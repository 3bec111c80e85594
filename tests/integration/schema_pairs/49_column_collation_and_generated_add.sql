-- A generated column added to a table that stays; a column's collation changes.
-- from
CREATE TABLE person (first text, last text COLLATE "C");
-- to
CREATE TABLE person (first text, last text, full_name text GENERATED ALWAYS AS (first || ' ' || last) STORED);
