-- pgmig:revision many_down_fails
-- pgmig:revises many_index_left
-- pgmig:message Broken on purpose: its downgrade drops a table that is not there

-- pgmig:upgrade
CREATE TABLE tags (id int);

-- pgmig:downgrade
DROP TABLE tagz;
