SELECT NOT EXISTS (SELECT 1 FROM settings WHERE key = 'theme');
