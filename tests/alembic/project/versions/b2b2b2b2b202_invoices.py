"""Invoices, with the first ones

Revision ID: b2b2b2b2b202
Revises: a1a1a1a1a101
"""
import sqlalchemy as sa
from alembic import op

revision = "b2b2b2b2b202"
down_revision = "a1a1a1a1a101"
branch_labels = ("billing",)
depends_on = None


def upgrade():
    invoices = op.create_table(
        "invoices",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("account_id", sa.BigInteger, sa.ForeignKey("accounts.id")),
        sa.Column("total", sa.Numeric(12, 2), nullable=False, server_default="0"),
    )
    op.bulk_insert(invoices, [{"id": 1, "total": 10}, {"id": 2, "total": 25.5}, {"id": 7, "total": 3}])


def downgrade():
    op.drop_table("invoices")
