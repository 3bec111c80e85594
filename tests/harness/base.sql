-- pgmig:revision base0000base
-- pgmig:message What every harness case builds on

-- pgmig:upgrade
CREATE TABLE users (id bigint PRIMARY KEY, email text, name text);
CREATE TABLE audit (id bigint PRIMARY KEY, note text);
CREATE TABLE settings (key text PRIMARY KEY, value text);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;

-- pgmig:downgrade
DROP FUNCTION touch();
DROP TABLE settings;
DROP TABLE audit;
DROP TABLE users;
