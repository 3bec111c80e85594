-- Policies for every command, permissive and restrictive.
-- from
CREATE TABLE notes (owner text, body text);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_all ON notes USING (owner = current_user);
-- to
CREATE TABLE notes (owner text, body text);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY p_select ON notes FOR SELECT USING (true);
CREATE POLICY p_insert ON notes FOR INSERT WITH CHECK (owner = current_user);
CREATE POLICY p_delete ON notes AS RESTRICTIVE FOR DELETE USING (owner = current_user);
