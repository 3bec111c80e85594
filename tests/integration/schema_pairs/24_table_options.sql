-- Storage options, unlogged tables.
-- from
CREATE TABLE cache (k text, v text) WITH (fillfactor = 70);
-- to
CREATE UNLOGGED TABLE cache (k text, v text) WITH (autovacuum_enabled = false);
