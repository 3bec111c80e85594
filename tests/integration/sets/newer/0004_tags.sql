-- pgmig:revision d4d4d4d4d4d4
-- pgmig:revises c3c3c3c3c3c3
-- pgmig:message Add tags

-- pgmig:upgrade
CREATE TABLE tags (id int PRIMARY KEY, item_id int REFERENCES items (id));

-- pgmig:downgrade
DROP TABLE tags;
