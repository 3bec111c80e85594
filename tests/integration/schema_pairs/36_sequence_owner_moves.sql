-- A sequence moves from one owning column to another, and one is let go.
-- from
CREATE TABLE s1 (id int);
CREATE TABLE s2 (id int);
CREATE SEQUENCE shared OWNED BY s1.id;
CREATE SEQUENCE loose OWNED BY s2.id;
-- to
CREATE TABLE s1 (id int);
CREATE TABLE s2 (id int);
CREATE SEQUENCE shared OWNED BY s2.id;
CREATE SEQUENCE loose;
