-- pgmig:revision 3f2a9c1b7d01
-- pgmig:message Create users

-- pgmig:upgrade
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- pgmig:downgrade
DROP TABLE users;
