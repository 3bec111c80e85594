-- pgmig:revision good10_function
-- pgmig:revises good09_view
-- pgmig:message Done right: function
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
CREATE FUNCTION normalize_email(e text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(e) $$;

-- pgmig:downgrade
DROP FUNCTION normalize_email(text);
