-- An updatable view with a check option, changed to a cascaded one.
-- from
CREATE TABLE t (id int, active boolean);
CREATE VIEW active_t AS SELECT * FROM t WHERE active WITH LOCAL CHECK OPTION;
-- to
CREATE TABLE t (id int, active boolean);
CREATE VIEW active_t AS SELECT * FROM t WHERE active WITH CASCADED CHECK OPTION;
