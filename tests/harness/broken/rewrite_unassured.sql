-- pgmig:revision bad_rewrite_unassured
-- pgmig:revises base0000base
-- pgmig:message Correct both ways, but it rewrites users and does not say why that is safe
-- pgmig:lint-ignore alter-column-type

-- pgmig:upgrade
ALTER TABLE users ALTER COLUMN email TYPE varchar(200);

-- pgmig:downgrade
ALTER TABLE users ALTER COLUMN email TYPE text;
