-- Sequences: new, changed, owned by a column (serial).
-- from
CREATE SEQUENCE counter START 5 INCREMENT 2;
CREATE TABLE s (id int);
-- to
CREATE SEQUENCE counter AS integer START 1 INCREMENT 3 MAXVALUE 1000 CYCLE;
CREATE SEQUENCE other;
CREATE TABLE s (id serial);
