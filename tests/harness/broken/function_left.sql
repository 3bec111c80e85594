-- pgmig:revision bad_function_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: function_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE FUNCTION normalize_email(e text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(e) $$;

-- pgmig:downgrade
SELECT 1;
