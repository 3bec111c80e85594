"""Invoice numbers, computed in Python

Revision ID: e5e5e5e5e505
Revises: b2b2b2b2b202
"""
import sqlalchemy as sa
from alembic import op

revision = "e5e5e5e5e505"
down_revision = "b2b2b2b2b202"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("invoices", sa.Column("number", sa.Text))
    connection = op.get_bind()
    for (invoice_id,) in connection.execute(sa.text("SELECT id FROM invoices")).fetchall():
        connection.execute(
            sa.text("UPDATE invoices SET number = :number WHERE id = :id"),
            {"number": "INV-%05d" % invoice_id, "id": invoice_id},
        )


def downgrade():
    op.drop_column("invoices", "number")
