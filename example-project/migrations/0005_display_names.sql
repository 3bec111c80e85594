-- pgmig:revision 5e16a2b8f905
-- pgmig:revises c9d8e7f60514
-- pgmig:message Display names, backfilled from names
-- pgmig:lint-ignore set-not-null

-- pgmig:upgrade
ALTER TABLE users ADD COLUMN display_name text;
UPDATE users SET display_name = initcap(name) WHERE display_name IS NULL;
ALTER TABLE users ALTER COLUMN display_name SET NOT NULL;

-- pgmig:downgrade
ALTER TABLE users DROP COLUMN display_name;
