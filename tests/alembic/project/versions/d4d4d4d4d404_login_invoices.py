"""Which login paid which invoice

Revision ID: d4d4d4d4d404
Revises: c3c3c3c3c303
"""
import sqlalchemy as sa
from alembic import op

revision = "d4d4d4d4d404"
down_revision = "c3c3c3c3c303"
branch_labels = None
depends_on = "b2b2b2b2b202"


def upgrade():
    op.create_table(
        "login_invoices",
        sa.Column("login_id", sa.BigInteger, sa.ForeignKey("logins.id"), nullable=False),
        sa.Column("invoice_id", sa.BigInteger, sa.ForeignKey("invoices.id"), nullable=False),
        sa.PrimaryKeyConstraint("login_id", "invoice_id"),
    )


def downgrade():
    op.drop_table("login_invoices")
