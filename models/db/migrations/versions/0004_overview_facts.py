"""The Overview's facts, stored per top-level recommendation

Revision ID: 0004_overview
Revises: 0003
Create Date: 2026-12-02

The Overview counted topics and regional groups by joining every link each time it
opened (seconds at 1,000 reports); `overview_fact` holds what it counts, filled with
each report by `models.build.enrich.update_overview_facts`. The statements are copied
here as they stood at this revision, so the migration never changes when the app does.
"""

import sqlalchemy as sa
from alembic import op


revision = "0004_overview"
down_revision = "0003"
branch_labels = None
depends_on = None


_TOPICS = """
INSERT INTO overview_fact (recommendation_id, topic_id)
SELECT DISTINCT coalesce(r.parent_id, r.id), t.topic_id FROM topic_tag t
JOIN recommendation r ON r.id = t.recommendation_id
"""
_REMARKS = """
INSERT INTO overview_fact (recommendation_id, remark_id, group_name, state)
SELECT DISTINCT coalesce(r.parent_id, r.id), l.remark_id, p.group_name, coalesce(p.state, m.on_behalf_of)
FROM remark m LEFT JOIN participant p ON p.id = m.participant_id
JOIN link l ON l.remark_id = m.id JOIN recommendation r ON r.id = l.recommendation_id
WHERE l.shown AND (m.participant_id IS NOT NULL OR m.on_behalf_of IS NOT NULL)
"""


def upgrade() -> None:
    op.create_table(
        "overview_fact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("remark_id", sa.Integer(), nullable=True),
        sa.Column("group_name", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(["recommendation_id"], ["recommendation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["topic_id"], ["topic.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["remark_id"], ["remark.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_overview_fact_recommendation_id", "overview_fact", ["recommendation_id"], unique=False)
    op.execute(sa.text(_TOPICS))
    op.execute(sa.text(_REMARKS))


def downgrade() -> None:
    op.drop_index("ix_overview_fact_recommendation_id", table_name="overview_fact")
    op.drop_table("overview_fact")
