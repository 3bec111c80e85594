-- pgmig:revision s2s2s2s2s2s2
-- pgmig:revises s1s1s1s1s1s1
-- pgmig:message A slow backfill

-- pgmig:upgrade
ALTER TABLE items ADD COLUMN note text;
SELECT pg_sleep(2);

-- pgmig:downgrade
ALTER TABLE items DROP COLUMN note;
