"""A version counter on collections and tags

Revision ID: 0007_tree_versions
Revises: 0006_notices
Create Date: 2026-12-02

Two members renaming, moving, reordering or deleting the same collection or tag at
once must not overwrite each other silently: like notes, positions and priorities,
each collection and tag row carries a version, and an edit based on an older one is
refused. Existing rows get version 1. Batch mode, so that SQLite (which cannot add a
NOT NULL column with a default in every version) and PostgreSQL take the same steps.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_tree_versions"
down_revision = "0006_notices"
branch_labels = None
depends_on = None

VERSIONED = ("user_collection", "user_tag")


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
