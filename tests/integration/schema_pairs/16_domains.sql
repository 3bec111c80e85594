-- Domains: new, and one whose default, nullability and checks change.
-- from
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE TABLE m (p positive);
-- to
CREATE DOMAIN positive AS int NOT NULL DEFAULT 1 CONSTRAINT positive_small CHECK (VALUE < 1000000);
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE m (p positive, e email);
