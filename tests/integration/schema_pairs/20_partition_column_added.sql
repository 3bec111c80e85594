-- A column added to a partitioned table reaches its partitions.
-- from
CREATE TABLE logs (id int, at date) PARTITION BY LIST (id);
CREATE TABLE logs_1 PARTITION OF logs FOR VALUES IN (1);
-- to
CREATE TABLE logs (id int, at date, msg text NOT NULL DEFAULT '') PARTITION BY LIST (id);
CREATE TABLE logs_1 PARTITION OF logs FOR VALUES IN (1);
CREATE TABLE logs_2 PARTITION OF logs FOR VALUES IN (2, 3);
