-- Aggregates made of functions: one added, one whose initial state changes, one dropped with
-- the function it is made of. Aggregates are created after and dropped before their functions.
-- from
CREATE FUNCTION add_up(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1 + $2';
CREATE AGGREGATE total(int) (SFUNC = add_up, STYPE = int, INITCOND = '0');
CREATE FUNCTION longest_of(text, text) RETURNS text LANGUAGE sql
    AS 'SELECT CASE WHEN length($2) > length(coalesce($1, '''')) THEN $2 ELSE $1 END';
CREATE AGGREGATE longest(text) (SFUNC = longest_of, STYPE = text);
-- to
CREATE FUNCTION add_up(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1 + $2';
CREATE AGGREGATE total(int) (SFUNC = add_up, STYPE = int, INITCOND = '100');
CREATE FUNCTION times(numeric, numeric) RETURNS numeric LANGUAGE sql PARALLEL SAFE
    AS 'SELECT coalesce($1, 1) * $2';
CREATE AGGREGATE product(numeric) (SFUNC = times, STYPE = numeric, COMBINEFUNC = times,
                                   PARALLEL = SAFE);
COMMENT ON AGGREGATE product(numeric) IS 'all values multiplied';
GRANT EXECUTE ON FUNCTION product(numeric) TO PUBLIC;
REVOKE EXECUTE ON FUNCTION product(numeric) FROM PUBLIC;
