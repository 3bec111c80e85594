-- A trigger and its function; another trigger disabled.
-- from
CREATE TABLE audit (id int, changed timestamptz);
-- to
CREATE TABLE audit (id int, changed timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.changed := now(); RETURN NEW; END $$;
CREATE TRIGGER audit_touch BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER audit_touch_insert BEFORE INSERT ON audit FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION touch();
ALTER TABLE audit DISABLE TRIGGER audit_touch_insert;
