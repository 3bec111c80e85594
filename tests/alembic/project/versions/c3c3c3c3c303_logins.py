"""Logins

Revision ID: c3c3c3c3c303
Revises: a1a1a1a1a101
"""
import sqlalchemy as sa
from alembic import op

revision = "c3c3c3c3c303"
down_revision = "a1a1a1a1a101"
branch_labels = ("auth",)
depends_on = None


def upgrade():
    op.create_table(
        "logins",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("account_id", sa.BigInteger, sa.ForeignKey("accounts.id", ondelete="CASCADE")),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()")),
    )
    op.create_index("logins_account_idx", "logins", ["account_id"])


def downgrade():
    op.drop_index("logins_account_idx", table_name="logins")
    op.drop_table("logins")
