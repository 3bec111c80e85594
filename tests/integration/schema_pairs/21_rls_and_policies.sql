-- Row-level security enabled and forced, with policies.
-- from
CREATE TABLE docs (owner name, body text);
CREATE POLICY docs_read ON docs FOR SELECT USING (true);
-- to
CREATE TABLE docs (owner name, body text);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE docs FORCE ROW LEVEL SECURITY;
CREATE POLICY docs_read ON docs FOR SELECT USING (owner = current_user);
CREATE POLICY docs_write ON docs AS RESTRICTIVE FOR UPDATE TO public USING (owner = current_user) WITH CHECK (body <> '');
