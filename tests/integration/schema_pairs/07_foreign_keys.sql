-- Foreign keys with actions, and a key they reference changing under them.
-- from
CREATE TABLE parent (id int PRIMARY KEY);
CREATE TABLE child (id int, parent_id int REFERENCES parent);
-- to
CREATE TABLE parent (id int, region int, PRIMARY KEY (id, region));
CREATE TABLE child (id int, parent_id int, region int,
    FOREIGN KEY (parent_id, region) REFERENCES parent ON DELETE CASCADE ON UPDATE SET NULL);
