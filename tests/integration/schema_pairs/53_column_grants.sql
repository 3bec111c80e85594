-- Privileges on columns: granted on a kept column, taken back from another, and on a column
-- the change adds.
-- from
DO $$ BEGIN CREATE ROLE pgmig_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE people (id int PRIMARY KEY, name text, salary numeric);
GRANT SELECT (id, name) ON people TO pgmig_reader;
GRANT UPDATE (salary) ON people TO pgmig_reader;
-- to
DO $$ BEGIN CREATE ROLE pgmig_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE TABLE people (id int PRIMARY KEY, name text, salary numeric, email text);
GRANT SELECT (id, name, email) ON people TO pgmig_reader;
GRANT REFERENCES (id) ON people TO pgmig_reader WITH GRANT OPTION;
CREATE TABLE badges (id int, holder int);
GRANT INSERT (holder) ON badges TO pgmig_reader;
