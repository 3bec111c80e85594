-- pgmig:revision floor_here
-- pgmig:revises floor_index_left
-- pgmig:message Proof starts here
-- pgmig:tested-from-here

-- pgmig:upgrade
CREATE TABLE notes (id int);

-- pgmig:downgrade
DROP TABLE notes;
