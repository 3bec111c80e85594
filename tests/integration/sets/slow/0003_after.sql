-- pgmig:revision s3s3s3s3s3s3
-- pgmig:revises s2s2s2s2s2s2
-- pgmig:message After the slow one
-- pgmig:lint-ignore blocking-index

-- pgmig:upgrade
CREATE INDEX items_note_idx ON items (note);

-- pgmig:downgrade
DROP INDEX items_note_idx;
