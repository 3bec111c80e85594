-- A trigger's timing and events change; its function's body too.
-- from
CREATE TABLE ev (id int, n int);
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.n := NEW.n + 1; RETURN NEW; END $$;
CREATE TRIGGER ev_bump BEFORE INSERT ON ev FOR EACH ROW EXECUTE FUNCTION bump();
-- to
CREATE TABLE ev (id int, n int);
CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.n := coalesce(NEW.n, 0) + 10; RETURN NEW; END $$;
CREATE TRIGGER ev_bump BEFORE INSERT OR UPDATE OF n ON ev FOR EACH ROW EXECUTE FUNCTION bump();
CREATE TRIGGER ev_stmt AFTER TRUNCATE ON ev FOR EACH STATEMENT EXECUTE FUNCTION bump();
ALTER TABLE ev ENABLE ALWAYS TRIGGER ev_stmt;
