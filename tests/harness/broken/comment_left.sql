-- pgmig:revision bad_comment_left
-- pgmig:revises base0000base
-- pgmig:message Broken on purpose: comment_left
-- pgmig:lint-ignore blocking-index set-not-null alter-column-type validated-constraint rename drop-table

-- pgmig:upgrade
COMMENT ON TABLE users IS 'people who sign in';

-- pgmig:downgrade
SELECT 1;
