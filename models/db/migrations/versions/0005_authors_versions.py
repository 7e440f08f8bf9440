"""Who wrote each annotation, and a version counter on notes, positions and priorities

Revision ID: 0005_authors
Revises: 0004_overview
Create Date: 2026-12-02

Shared libraries (PostgreSQL) have several writers: every user row records its
author, and the rows two people may edit at once carry a version, so that a stale
write is refused instead of silently overwriting. Existing rows get an empty author
(written before authors were recorded) and version 1.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_authors"
down_revision = "0004_overview"
branch_labels = None
depends_on = None

USER_TABLES = ("user_collection", "user_collection_item", "user_tag", "user_tag_item", "user_note", "user_position",
               "user_priority", "user_highlight", "user_curated_link", "user_rejected_link")
VERSIONED = ("user_note", "user_position", "user_priority")


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN (no batch rebuild): no row moves, nothing cascades.
    for table in USER_TABLES:
        op.add_column(table, sa.Column("author", sa.String(length=120), server_default="", nullable=False))
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in VERSIONED:
        op.drop_column(table, "version")
    for table in USER_TABLES:
        op.drop_column(table, "author")
