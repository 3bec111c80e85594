-- A table referencing itself, and a column added to the key it references.
-- from
CREATE TABLE node (id int PRIMARY KEY, parent int REFERENCES node ON DELETE SET NULL);
-- to
CREATE TABLE node (id int, tree int, parent int, PRIMARY KEY (id, tree),
                   FOREIGN KEY (parent, tree) REFERENCES node ON DELETE CASCADE);
