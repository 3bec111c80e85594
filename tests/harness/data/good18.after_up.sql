SELECT value = 'dark' FROM settings WHERE key = 'theme';
