-- An enum loses a value: re-created, its columns (and a view reading them) converted.
-- from
CREATE TYPE state AS ENUM ('new', 'old', 'gone');
CREATE TABLE thing (id int, s state DEFAULT 'new', history state[]);
CREATE VIEW new_things AS SELECT id FROM thing WHERE s = 'new';
-- to
CREATE TYPE state AS ENUM ('new', 'old');
CREATE TABLE thing (id int, s state DEFAULT 'new', history state[]);
CREATE VIEW new_things AS SELECT id FROM thing WHERE s = 'new';
