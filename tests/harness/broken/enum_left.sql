-- pgmig:revision bad_enum_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: enum_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE TYPE mood AS ENUM ('happy', 'sad');

-- pgmig:downgrade
SELECT 1;
