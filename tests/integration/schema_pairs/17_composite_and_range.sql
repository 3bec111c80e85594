-- Composite types gain, lose and retype attributes; a range type appears.
-- from
CREATE TYPE address AS (street text, city text, county text);
-- to
CREATE TYPE address AS (street text, city varchar(100), zip varchar(10));
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE TABLE site (id int, addr address, span floatrange);
