-- Overloaded functions, defaults on arguments, OUT parameters, SETOF and SECURITY DEFINER.
-- from
CREATE FUNCTION area(r float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT pi() * r * r';
-- to
CREATE FUNCTION area(r float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT pi() * r * r';
CREATE FUNCTION area(w float8, h float8 DEFAULT 1) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT w * h';
CREATE FUNCTION minmax(VARIADIC xs int[], OUT lo int, OUT hi int) LANGUAGE sql AS 'SELECT min(x), max(x) FROM unnest(xs) x';
CREATE FUNCTION series(n int) RETURNS SETOF int LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS 'SELECT generate_series(1, n)';
