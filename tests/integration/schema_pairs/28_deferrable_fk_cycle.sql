-- Two tables referencing each other with deferrable keys.
-- from
-- to
CREATE TABLE husband (id int PRIMARY KEY, wife_id int);
CREATE TABLE wife (id int PRIMARY KEY, husband_id int REFERENCES husband DEFERRABLE INITIALLY DEFERRED);
ALTER TABLE husband ADD FOREIGN KEY (wife_id) REFERENCES wife DEFERRABLE;
