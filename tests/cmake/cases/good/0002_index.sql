-- pgmig:revision 9b0d3c1a2f44
-- pgmig:revises 4f1c2a9b7e10
-- pgmig:message Index e-mails, with quoting that C++ must not misread: "??=" \ '$$'

-- pgmig:upgrade
CREATE INDEX users_email_idx ON users (email);
CREATE FUNCTION users_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM users; $$;

-- pgmig:downgrade
DROP FUNCTION users_count();
DROP INDEX users_email_idx;
