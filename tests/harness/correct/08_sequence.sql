-- pgmig:revision good08_sequence
-- pgmig:revises good07_foreign_key
-- pgmig:message Done right: sequence
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE SEQUENCE order_numbers START 1000;

-- pgmig:downgrade
DROP SEQUENCE order_numbers;
