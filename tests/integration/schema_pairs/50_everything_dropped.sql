-- A schema of many kinds of objects, all gone.
-- from
CREATE SCHEMA s;
CREATE TYPE s.color AS ENUM ('red', 'blue');
CREATE DOMAIN s.pos AS int CHECK (VALUE > 0);
CREATE SEQUENCE s.n;
CREATE TABLE s.a (id int PRIMARY KEY DEFAULT nextval('s.n'), c s.color, p s.pos);
CREATE TABLE s.b (a_id int REFERENCES s.a, note text);
CREATE INDEX b_note ON s.b (note);
CREATE VIEW s.ab AS SELECT a.id, b.note FROM s.a JOIN s.b ON b.a_id = a.id;
CREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
COMMENT ON TABLE s.a IS 'a';
-- to
