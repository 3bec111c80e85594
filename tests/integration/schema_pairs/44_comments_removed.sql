-- Comments removed from objects that stay, and on a schema, a sequence and a trigger.
-- from
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the app';
CREATE SEQUENCE app.seq;
COMMENT ON SEQUENCE app.seq IS 'numbers';
CREATE TABLE app.t (id int);
COMMENT ON COLUMN app.t.id IS 'the id';
CREATE FUNCTION app.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_trg BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.trg();
COMMENT ON TRIGGER t_trg ON app.t IS 'does nothing';
-- to
CREATE SCHEMA app;
CREATE SEQUENCE app.seq;
CREATE TABLE app.t (id int);
CREATE FUNCTION app.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_trg BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.trg();
COMMENT ON TRIGGER t_trg ON app.t IS 'now it says so';
