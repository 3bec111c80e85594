-- Array, jsonb, interval and numeric columns with defaults and checks.
-- from
CREATE TABLE doc (id int);
-- to
CREATE TABLE doc (id int, tags text[] NOT NULL DEFAULT '{}', body jsonb DEFAULT '{"a": 1}'::jsonb,
    ttl interval DEFAULT '1 day', ratio numeric(5, 4) CHECK (ratio BETWEEN 0 AND 1),
    grid int[][]);
