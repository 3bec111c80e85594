-- A materialized view with an index.
-- from
CREATE TABLE events (id int, kind text);
-- to
CREATE TABLE events (id int, kind text);
CREATE MATERIALIZED VIEW event_counts AS SELECT kind, count(*) AS n FROM events GROUP BY kind;
CREATE UNIQUE INDEX event_counts_kind ON event_counts (kind);
