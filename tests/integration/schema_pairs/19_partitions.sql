-- A partitioned table with partitions, an index and a key on the parent.
-- from
CREATE TABLE measurements (id int, at date, v int);
-- to
CREATE TABLE measurements (id int, at date, v int) PARTITION BY RANGE (at);
CREATE TABLE measurements_2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_rest PARTITION OF measurements DEFAULT;
CREATE INDEX measurements_at_idx ON measurements (at);
ALTER TABLE measurements ADD PRIMARY KEY (id, at);
