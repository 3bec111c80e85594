-- pgmig:revision bad_downgrade_fails
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: downgrade_fails
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE TABLE tags (id int);

-- pgmig:downgrade
DROP TABLE tagz;
