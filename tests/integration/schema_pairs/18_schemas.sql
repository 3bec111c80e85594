-- Objects in a schema of their own, with names that need quoting.
-- from
CREATE SCHEMA old_stuff;
CREATE TABLE old_stuff.t (id int);
-- to
CREATE SCHEMA "Billing";
CREATE TABLE "Billing"."Invoice" ("Id" int PRIMARY KEY, "Total Amount" numeric);
CREATE INDEX "Invoice total" ON "Billing"."Invoice" ("Total Amount");
