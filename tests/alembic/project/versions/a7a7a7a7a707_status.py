"""Account status, an enum, and an index built concurrently

Revision ID: a7a7a7a7a707
Revises: f6f6f6f6f606
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "a7a7a7a7a707"
down_revision = "f6f6f6f6f606"
branch_labels = None
depends_on = None

status = postgresql.ENUM("active", "closed", name="account_status", create_type=False)


def upgrade():
    op.execute("CREATE TYPE account_status AS ENUM ('active', 'closed')")
    op.add_column("accounts", sa.Column("status", status, nullable=False, server_default="active"))
    op.execute("UPDATE accounts SET status = 'closed' WHERE email LIKE '%@old.example'")
    with op.get_context().autocommit_block():
        op.create_index("accounts_email_idx", "accounts", ["email"], postgresql_concurrently=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index("accounts_email_idx", table_name="accounts", postgresql_concurrently=True)
    op.drop_column("accounts", "status")
    op.execute("DROP TYPE account_status")
