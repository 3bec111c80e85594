-- A new table whose default and check call new functions, and a function returning its rows.
-- from
-- to
CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
CREATE FUNCTION valid_code(c text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT length(c) = 32 $$;
CREATE TABLE codes (code text DEFAULT next_code() CHECK (valid_code(code)));
CREATE FUNCTION all_codes() RETURNS SETOF codes LANGUAGE sql AS $$ SELECT * FROM codes $$;
