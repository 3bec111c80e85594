-- A materialized view's query changes; its index comes back with it.
-- from
CREATE TABLE sales (region text, amount int);
CREATE MATERIALIZED VIEW totals AS SELECT region, sum(amount) AS total FROM sales GROUP BY region;
CREATE INDEX totals_region ON totals (region);
-- to
CREATE TABLE sales (region text, amount int);
CREATE MATERIALIZED VIEW totals AS SELECT region, sum(amount) AS total, count(*) AS n FROM sales GROUP BY region;
CREATE INDEX totals_region ON totals (region);
CREATE INDEX totals_total ON totals (total DESC);
