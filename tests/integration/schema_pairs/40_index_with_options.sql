-- Indexes with storage options, operator classes and collations.
-- from
CREATE TABLE w (id int, name text);
CREATE INDEX w_name ON w (name);
-- to
CREATE TABLE w (id int, name text);
CREATE INDEX w_name ON w (name text_pattern_ops) WITH (fillfactor = 80);
CREATE INDEX w_name_c ON w (name COLLATE "C" DESC NULLS LAST);
CREATE INDEX w_brin ON w USING brin (id) WITH (pages_per_range = 32);
