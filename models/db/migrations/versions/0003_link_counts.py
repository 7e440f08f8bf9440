"""Stored counts of the remarks and speakers behind each recommendation

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Tables of tens of thousands of recommendations sort and page by these counts
without aggregating every link; `models.build.enrich.update_link_counts` keeps them
afterwards. The statement is copied here as it stood at this revision, so the
migration never changes when the app does.
"""

import sqlalchemy as sa
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


_LINK_COUNTS = """
UPDATE recommendation SET
  shown_remarks = (
    SELECT count(DISTINCT m.id) FROM link l
    JOIN recommendation s ON s.id = l.recommendation_id JOIN remark m ON m.id = l.remark_id
    WHERE l.shown AND m.speaker_kind != 'text' AND (s.id = recommendation.id OR s.parent_id = recommendation.id)),
  shown_speakers = (
    SELECT count(DISTINCT CASE WHEN m.speaker_kind IN ('panellist', 'chair', 'secretariat')
                               THEN m.speaker_label ELSE '#' || m.id END) FROM link l
    JOIN recommendation s ON s.id = l.recommendation_id JOIN remark m ON m.id = l.remark_id
    WHERE l.shown AND m.speaker_kind != 'text' AND (s.id = recommendation.id OR s.parent_id = recommendation.id))
"""


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN: the table is not rebuilt, so no row moves and nothing cascades.
    op.add_column("recommendation", sa.Column("shown_remarks", sa.Integer(), server_default="0", nullable=False))
    op.add_column("recommendation", sa.Column("shown_speakers", sa.Integer(), server_default="0", nullable=False))
    op.create_index("ix_recommendation_shown_remarks", "recommendation", ["shown_remarks"], unique=False)
    op.create_index("ix_recommendation_shown_speakers", "recommendation", ["shown_speakers"], unique=False)
    op.execute(sa.text(_LINK_COUNTS))


def downgrade() -> None:
    op.drop_index("ix_recommendation_shown_speakers", table_name="recommendation")
    op.drop_index("ix_recommendation_shown_remarks", table_name="recommendation")
    op.drop_column("recommendation", "shown_speakers")  # SQLite 3.35+
    op.drop_column("recommendation", "shown_remarks")
