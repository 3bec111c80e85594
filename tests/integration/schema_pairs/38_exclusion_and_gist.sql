-- An exclusion constraint over ranges with btree_gist.
-- from
CREATE TABLE booking (room int, during tstzrange);
-- to
CREATE EXTENSION btree_gist;
CREATE TABLE booking (room int, during tstzrange,
    CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&));
