-- A database built by hand, the way a team arriving without migrations has one: every kind of
-- object the schema model knows. Cli.AdoptWritesABaselineThatRebuildsAnExistingDatabase adopts it.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'money';

CREATE TYPE order_state AS ENUM ('cart', 'placed', 'paid', 'shipped');
CREATE DOMAIN billing.cents AS bigint CHECK (VALUE >= 0);
CREATE TYPE billing.address AS (street text, city text, zip varchar(10));
CREATE TYPE price_range AS RANGE (subtype = numeric);
CREATE SEQUENCE billing.invoice_numbers START 10000 INCREMENT 1;

CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email citext NOT NULL UNIQUE,
    name text COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    display_name text GENERATED ALWAYS AS (upper(name)) STORED,
    ship_to billing.address
);
COMMENT ON TABLE customers IS 'who buys';
COMMENT ON COLUMN customers.email IS 'unique, case-insensitive';

CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers ON DELETE CASCADE,
    state order_state NOT NULL DEFAULT 'cart',
    total billing.cents NOT NULL DEFAULT 0,
    placed_at date,
    CONSTRAINT orders_placed_check CHECK (state = 'cart' OR placed_at IS NOT NULL)
);
CREATE INDEX orders_customer_idx ON orders (customer_id) INCLUDE (state);
CREATE INDEX orders_open_idx ON orders (placed_at) WHERE state <> 'shipped';

CREATE TABLE billing.invoices (
    number bigint NOT NULL DEFAULT nextval('billing.invoice_numbers'),
    order_id int NOT NULL REFERENCES orders DEFERRABLE INITIALLY DEFERRED,
    amount billing.cents NOT NULL,
    issued date NOT NULL,
    PRIMARY KEY (number, issued)
) PARTITION BY RANGE (issued);
CREATE TABLE billing.invoices_2026 PARTITION OF billing.invoices
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE billing.invoices_old PARTITION OF billing.invoices DEFAULT;
CREATE INDEX invoices_order_idx ON billing.invoices (order_id);

CREATE TABLE price_lists (id int PRIMARY KEY, valid daterange, prices price_range,
    EXCLUDE USING gist (valid WITH &&));
CREATE UNLOGGED TABLE sessions (token text PRIMARY KEY, data jsonb) WITH (fillfactor = 70);

CREATE FUNCTION order_total(o orders) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT o.total $$;
CREATE FUNCTION touch_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_at := coalesce(NEW.created_at, now());
    RETURN NEW;
END $$;
CREATE PROCEDURE billing.close_year(y int) LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'closing %', y; END $$;
COMMENT ON FUNCTION order_total(orders) IS 'what an order costs';
CREATE TRIGGER customers_touch BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION touch_customer();

CREATE VIEW open_orders AS SELECT id, customer_id, state FROM orders WHERE state <> 'shipped';
CREATE VIEW open_order_count AS SELECT customer_id, count(*) AS n FROM open_orders GROUP BY customer_id;
CREATE MATERIALIZED VIEW billing.revenue AS
    SELECT date_trunc('month', issued) AS month, sum(amount) AS amount FROM billing.invoices GROUP BY 1;
CREATE UNIQUE INDEX revenue_month ON billing.revenue (month);

ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY orders_mine ON orders FOR SELECT USING (customer_id > 0);
CREATE POLICY orders_no_delete ON orders AS RESTRICTIVE FOR DELETE USING (false);

GRANT SELECT ON open_orders TO PUBLIC;
REVOKE EXECUTE ON FUNCTION order_total(orders) FROM PUBLIC;
GRANT USAGE ON SCHEMA billing TO PUBLIC;

INSERT INTO customers (email, name) VALUES ('a@example.com', 'Ada');
