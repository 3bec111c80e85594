CREATE TABLE accounts (id bigint PRIMARY KEY);
CREATE TABEL orders (id bigint);
