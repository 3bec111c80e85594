-- Functions and a procedure: new, changed body, changed result type.
-- from
CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 1';
CREATE FUNCTION label(x int) RETURNS text LANGUAGE sql AS $$ SELECT 'n' || x $$;
-- to
CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x + 2';
CREATE FUNCTION label(x int) RETURNS varchar LANGUAGE sql AS $$ SELECT ('n' || x)::varchar $$;
CREATE PROCEDURE reset_all() LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'reset'; END $$;
