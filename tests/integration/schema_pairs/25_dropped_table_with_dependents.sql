-- A table with a view, a foreign key from another table and a trigger goes away.
-- from
CREATE TABLE a (id int PRIMARY KEY);
CREATE TABLE b (id int, a_id int REFERENCES a);
CREATE VIEW av AS SELECT id FROM a;
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER a_noop BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION noop();
-- to
CREATE TABLE b (id int, a_id int);
