"""Accounts

Revision ID: a1a1a1a1a101
"""
import sqlalchemy as sa
from alembic import op

revision = "a1a1a1a1a101"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("email", sa.Text, nullable=False),
    )


def downgrade():
    op.drop_table("accounts")
