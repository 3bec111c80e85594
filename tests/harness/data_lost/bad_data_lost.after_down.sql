-- The downgrade promises the names back.
SELECT name IS NOT DISTINCT FROM 'Ada' FROM users WHERE id = 1;
