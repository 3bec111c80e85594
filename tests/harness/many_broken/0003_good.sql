-- pgmig:revision many_good
-- pgmig:revises many_down_fails
-- pgmig:message Correct: notes and back

-- pgmig:upgrade
CREATE TABLE notes (id int);

-- pgmig:downgrade
DROP TABLE notes;
