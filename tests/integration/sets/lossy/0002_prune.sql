-- pgmig:revision b2b2b2b2b2b2
-- pgmig:revises a1a1a1a1a1a1
-- pgmig:message Prunes items outside a transaction, then fails: the rows are gone
-- pgmig:transaction off

-- pgmig:upgrade
DELETE FROM items WHERE id > 1;
SELECT 1 / 0;

-- pgmig:downgrade
SELECT 1;
