-- A table appears with every kind of column property.
-- from
-- to
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    name varchar(80) COLLATE "C",
    score numeric(10, 2) DEFAULT 0,
    created timestamptz NOT NULL DEFAULT now(),
    lower_email text GENERATED ALWAYS AS (lower(email)) STORED
);
