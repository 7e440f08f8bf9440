"""Stored counts of the remarks and speakers behind each recommendation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Tables of tens of thousands of recommendations sort and page by these counts
without aggregating every link; `crossref.update_link_counts` keeps them.
"""

import sqlalchemy as sa
from alembic import op

from models.crossref import update_link_counts

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: the table is not rebuilt, so no row moves and nothing cascades.
    op.add_column("recommendation", sa.Column("shown_remarks", sa.Integer(), server_default="0", nullable=False))
    op.add_column("recommendation", sa.Column("shown_speakers", sa.Integer(), server_default="0", nullable=False))
    op.create_index("ix_recommendation_shown_remarks", "recommendation", ["shown_remarks"], unique=False)
    op.create_index("ix_recommendation_shown_speakers", "recommendation", ["shown_speakers"], unique=False)
    update_link_counts(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_recommendation_shown_speakers", table_name="recommendation")
    op.drop_index("ix_recommendation_shown_remarks", table_name="recommendation")
    op.drop_column("recommendation", "shown_speakers")  # SQLite 3.35+
    op.drop_column("recommendation", "shown_remarks")
