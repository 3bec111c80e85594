-- pgmig:revision a1a1a1a1a1a1
-- pgmig:message Create authors

-- pgmig:upgrade
CREATE TABLE authors (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO authors VALUES (1, 'Ada Lovelace'), (2, 'Alan Turing'), (3, 'Grace Hopper');

-- pgmig:downgrade
DROP TABLE authors;
