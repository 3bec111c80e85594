-- pgmig:revision bad_sequence_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: sequence_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE SEQUENCE order_numbers START 1000;

-- pgmig:downgrade
SELECT 1;
