-- pgmig:revision t1t1t1t1t1t1
-- pgmig:message Visits and a materialized view of their counts

-- pgmig:upgrade
CREATE TABLE visits (page text NOT NULL, at timestamptz NOT NULL DEFAULT now());
CREATE MATERIALIZED VIEW visit_counts AS SELECT page, count(*) AS n FROM visits GROUP BY page;

-- pgmig:downgrade
DROP MATERIALIZED VIEW visit_counts;
DROP TABLE visits;
