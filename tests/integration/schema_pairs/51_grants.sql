-- Privileges granted and revoked on tables, views, sequences, functions, types and schemas.
-- from
DO $$ BEGIN CREATE ROLE pgmig_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE "pgmig writer"; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE g (id int);
GRANT SELECT ON g TO pgmig_reader;
GRANT UPDATE ON g TO "pgmig writer";
CREATE FUNCTION gf() RETURNS int LANGUAGE sql AS 'SELECT 1';
-- to
DO $$ BEGIN CREATE ROLE pgmig_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE "pgmig writer"; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE SCHEMA gs;
GRANT USAGE ON SCHEMA gs TO pgmig_reader;
CREATE TABLE g (id int);
GRANT SELECT ON g TO pgmig_reader;
GRANT SELECT, INSERT ON g TO "pgmig writer" WITH GRANT OPTION;
CREATE SEQUENCE gseq;
GRANT USAGE ON SEQUENCE gseq TO pgmig_reader;
CREATE FUNCTION gf() RETURNS int LANGUAGE sql AS 'SELECT 1';
REVOKE EXECUTE ON FUNCTION gf() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gf() TO pgmig_reader;
CREATE VIEW gv AS SELECT id FROM g;
GRANT SELECT ON gv TO pgmig_reader;
CREATE TYPE gt AS ENUM ('a');
REVOKE USAGE ON TYPE gt FROM PUBLIC;
