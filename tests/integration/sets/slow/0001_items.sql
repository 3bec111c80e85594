-- pgmig:revision s1s1s1s1s1s1
-- pgmig:message Create items

-- pgmig:upgrade
CREATE TABLE items (id int PRIMARY KEY);

-- pgmig:downgrade
DROP TABLE items;
