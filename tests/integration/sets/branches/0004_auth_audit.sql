-- pgmig:revision auth00000004
-- pgmig:revises auth00000003
-- pgmig:depends-on bill00000002
-- pgmig:message Login audit needs invoices

-- pgmig:upgrade
CREATE TABLE login_invoices (login_id int REFERENCES logins (id), invoice_id int REFERENCES invoices (id));

-- pgmig:downgrade
DROP TABLE login_invoices;
