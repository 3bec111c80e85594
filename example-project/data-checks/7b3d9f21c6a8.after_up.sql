SELECT slug = 'ada-lovelace-' || id FROM users WHERE email = 'ada@example.org';
SELECT slug = 'user-' || id FROM users WHERE email = 'q@example.org';
