-- pgmig:revision t2t2t2t2t2t2
-- pgmig:revises t1t1t1t1t1t1
-- pgmig:message Start counting afresh: a truncate said safe and a refresh, both new files
-- pgmig:safety-assured truncate visits holds a day of data, kept elsewhere

-- pgmig:upgrade
TRUNCATE visits;
REFRESH MATERIALIZED VIEW visit_counts;

-- pgmig:downgrade
SELECT 1;
