-- pgmig:revision c2c2c2c2c2c2
-- pgmig:revises c1c1c1c1c1c1
-- pgmig:message A big table of events

-- pgmig:upgrade
CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL, payload text);

-- pgmig:downgrade
DROP TABLE events;
