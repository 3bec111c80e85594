-- Indexes: method, expressions, partial, INCLUDE, unique.
-- from
CREATE TABLE d (id int, body text, tags text[], at timestamptz);
CREATE INDEX d_at_idx ON d (at);
-- to
CREATE TABLE d (id int, body text, tags text[], at timestamptz);
CREATE INDEX d_at_idx ON d (at DESC) WHERE id > 0;
CREATE UNIQUE INDEX d_id_key ON d (id) INCLUDE (at);
CREATE INDEX d_tags_idx ON d USING gin (tags);
CREATE INDEX d_lower_idx ON d (lower(body));
