-- A user without a name: the upgrade must give it one, not fail.
INSERT INTO users (id, email) VALUES (1, 'ada@example.org');
