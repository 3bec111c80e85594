-- pgmig:revision b2b2b2b2b2b2
-- pgmig:revises a1a1a1a1a1a1
-- pgmig:message Add a price with an index
-- pgmig:lint-ignore blocking-index

-- pgmig:upgrade
ALTER TABLE items ADD COLUMN price numeric;
CREATE INDEX items_price_idx ON items (price);

-- pgmig:downgrade
DROP INDEX items_price_idx;
ALTER TABLE items DROP COLUMN price;
