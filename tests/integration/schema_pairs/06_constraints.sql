-- Primary key, unique, check and exclusion constraints come and go.
-- from
CREATE TABLE r (id int PRIMARY KEY, code text UNIQUE, qty int CHECK (qty > 0));
-- to
CREATE TABLE r (id int, code text, qty int CONSTRAINT r_qty_check CHECK (qty >= 0), during int4range,
    CONSTRAINT r_code_key UNIQUE (code, id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT r_during_excl EXCLUDE USING gist (during WITH &&));
