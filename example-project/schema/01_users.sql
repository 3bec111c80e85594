-- The schema the shop wants, in plain SQL. Edit it, then
--   MSG="what changed" cmake --build build --target db_autogenerate
-- writes the revision that takes the database there (review it, then db_upgrade). The
-- generated test shop_db.schema fails while the revisions and this schema disagree.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    display_name text NOT NULL,
    slug text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_slug_key ON users (slug);
