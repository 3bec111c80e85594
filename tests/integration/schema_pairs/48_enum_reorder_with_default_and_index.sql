-- An enum reordered, with a default and an index on its column.
-- from
CREATE TYPE prio AS ENUM ('low', 'high');
CREATE TABLE task (id int, p prio NOT NULL DEFAULT 'low');
CREATE INDEX task_p ON task (p);
-- to
CREATE TYPE prio AS ENUM ('high', 'low');
CREATE TABLE task (id int, p prio NOT NULL DEFAULT 'low');
CREATE INDEX task_p ON task (p);
