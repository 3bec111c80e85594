-- A CHECK and a foreign key added NOT VALID, as the lint advises.
-- from
CREATE TABLE acct (id int PRIMARY KEY);
CREATE TABLE pay (id int, acct_id int, amount int);
-- to
CREATE TABLE acct (id int PRIMARY KEY);
CREATE TABLE pay (id int, acct_id int, amount int);
ALTER TABLE pay ADD CONSTRAINT pay_amount_check CHECK (amount > 0) NOT VALID;
ALTER TABLE pay ADD CONSTRAINT pay_acct_fk FOREIGN KEY (acct_id) REFERENCES acct NOT VALID;
