-- A stored generated column's expression changes.
-- from
CREATE TABLE p (w int, h int, area int GENERATED ALWAYS AS (w * h) STORED);
-- to
CREATE TABLE p (w int, h int, area int GENERATED ALWAYS AS (w * h * 2) STORED);
