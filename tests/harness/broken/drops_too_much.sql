-- pgmig:revision bad_drops_too_much
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: drops_too_much
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
ALTER TABLE users ADD COLUMN nickname text;

-- pgmig:downgrade
ALTER TABLE users DROP COLUMN nickname;
DROP TABLE audit;
