-- An enum gains values in the middle and at the end.
-- from
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE person (name text, current mood DEFAULT 'sad');
-- to
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'elated');
CREATE TABLE person (name text, current mood DEFAULT 'sad');
