-- Users from before slugs existed, one with a name that has nothing to slug.
INSERT INTO users (email, name, display_name) VALUES
    ('ada@example.org', 'Ada  Lovelace!', 'Ada Lovelace'),
    ('q@example.org', '???', '???');
