"""The Chair's remarks no longer count for the Chair's State and regional group

Revision ID: 0008_chair_facts
Revises: 0007_tree_versions
Create Date: 2026-12-02

The Chair speaks for the meeting, not for the State or the group the Chair comes from:
the Overview's stored facts are made again without the Chair's remarks (the table's
State and group filters read remarks directly and follow at once). The statements are
copied here as they stand at this revision, so the migration never changes when the
app does.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_chair_facts"
down_revision = "0007_tree_versions"
branch_labels = None
depends_on = None

_REMARKS = """
INSERT INTO overview_fact (recommendation_id, remark_id, group_name, state)
SELECT DISTINCT coalesce(r.parent_id, r.id), l.remark_id, p.group_name, coalesce(p.state, m.on_behalf_of)
FROM remark m LEFT JOIN participant p ON p.id = m.participant_id
JOIN link l ON l.remark_id = m.id JOIN recommendation r ON r.id = l.recommendation_id
WHERE l.shown AND (m.participant_id IS NOT NULL OR m.on_behalf_of IS NOT NULL) AND m.speaker_kind {chair}
"""


def _remake(chair: str) -> None:
    op.execute(sa.text("DELETE FROM overview_fact WHERE remark_id IS NOT NULL"))
    op.execute(sa.text(_REMARKS.format(chair=chair)))


def upgrade() -> None:
    _remake("<> 'chair'")


def downgrade() -> None:
    _remake("IS NOT NULL")  # every remark, the Chair's included, as revision 0007 stored them
