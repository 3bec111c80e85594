"""Merge billing and auth

Revision ID: f6f6f6f6f606
Revises: d4d4d4d4d404, e5e5e5e5e505
"""
revision = "f6f6f6f6f606"
down_revision = ("d4d4d4d4d404", "e5e5e5e5e505")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
