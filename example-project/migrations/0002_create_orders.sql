-- pgmig:revision 8c4e0d2a6b12
-- pgmig:revises 3f2a9c1b7d01
-- pgmig:message Create orders

-- pgmig:upgrade
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    total_cents bigint NOT NULL,
    status text NOT NULL DEFAULT 'new'
);

-- pgmig:downgrade
DROP TABLE orders;
