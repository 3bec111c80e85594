-- pgmig:revision c1c1c1c1c1c1
-- pgmig:message Authors, books and awards (a child whose name sorts before its parent's)

-- pgmig:upgrade
CREATE TABLE authors (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE books (
    id serial PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES authors,
    pages int NOT NULL,
    sheets int GENERATED ALWAYS AS ((pages + 1) / 2) STORED
);
CREATE TABLE awards (book_id int NOT NULL REFERENCES books, year int NOT NULL);

-- pgmig:downgrade
DROP TABLE awards;
DROP TABLE books;
DROP TABLE authors;
