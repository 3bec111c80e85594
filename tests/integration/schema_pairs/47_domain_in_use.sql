-- A domain used by columns gains a check (PostgreSQL refuses it while an array of the domain is in use).
-- from
CREATE DOMAIN code AS text;
CREATE TABLE item (c code, other code);
-- to
CREATE DOMAIN code AS text CONSTRAINT code_upper CHECK (VALUE = upper(VALUE));
CREATE TABLE item (c code, other code);
