"""corpus and cross-reference tables

Revision ID: 0001
Revises: 
Create Date: 2026-11-28

Full-text indexes are FTS5 tables keyed by the indexed row's id (rowid).
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

FTS_TABLES = ("recommendation_fts", "remark_fts", "paragraph_fts")


def upgrade() -> None:
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('symbol', sa.String(length=80), nullable=True),
    sa.Column('place', sa.String(length=120), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('source_name', sa.String(length=255), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['agenda_item.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'number')
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_document_id'), ['document_id'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=120), nullable=True),
    sa.Column('group_name', sa.String(length=120), nullable=True),
    sa.Column('function', sa.Text(), nullable=True),
    sa.Column('affiliation', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participant_kind'), ['kind'], unique=False)

    op.create_table('section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=20), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['section.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'label')
    )
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_document_id'), ['document_id'], unique=False)

    op.create_table('panel_seat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('group_name', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('panel_seat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_panel_seat_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_panel_seat_participant_id'), ['participant_id'], unique=False)

    op.create_table('paragraph',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'number')
    )
    with op.batch_alter_table('paragraph', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paragraph_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paragraph_section_id'), ['section_id'], unique=False)

    op.create_table('recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('letter', sa.String(length=4), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['recommendation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['section.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id', 'number')
    )
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_section_id'), ['section_id'], unique=False)

    op.create_table('document_reference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('symbol', sa.String(length=80), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('document_reference', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_reference_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_reference_symbol'), ['symbol'], unique=False)

    op.create_table('footnote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('marker', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('footnote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_footnote_document_id'), ['document_id'], unique=False)

    op.create_table('mention',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=True),
    sa.Column('recommendation_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mention_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_mention_kind_key', ['kind', 'key'], unique=False)
        batch_op.create_index(batch_op.f('ix_mention_paragraph_id'), ['paragraph_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mention_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('recurrence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['other_id'], ['recommendation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('recommendation_id', 'other_id')
    )
    with op.batch_alter_table('recurrence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recurrence_other_id'), ['other_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recurrence_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('remark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('speaker_kind', sa.String(length=20), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('speaker_label', sa.String(length=255), nullable=False),
    sa.Column('quantifier', sa.String(length=40), nullable=True),
    sa.Column('on_behalf_of', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('remark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remark_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remark_paragraph_id'), ['paragraph_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_remark_participant_id'), ['participant_id'], unique=False)

    op.create_table('statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('capacity', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paragraph_id'], ['paragraph.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_document_id'), ['document_id'], unique=False)

    op.create_table('link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('remark_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('shown', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['remark_id'], ['remark.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('recommendation_id', 'remark_id')
    )
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_recommendation_id'), ['recommendation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_remark_id'), ['remark_id'], unique=False)

    op.create_table('topic_tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=True),
    sa.Column('remark_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('matched', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['remark_id'], ['remark.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('topic_tag', schema=None) as batch_op:
        batch_op.create_index('ix_topic_tag_recommendation', ['recommendation_id', 'topic_id'], unique=False)
        batch_op.create_index('ix_topic_tag_remark', ['remark_id', 'topic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_topic_tag_topic_id'), ['topic_id'], unique=False)


    for name in FTS_TABLES:
        op.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(text, tokenize='porter unicode61 remove_diacritics 2')")

def downgrade() -> None:
    for name in FTS_TABLES:
        op.execute(f"DROP TABLE IF EXISTS {name}")
    with op.batch_alter_table('topic_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_tag_topic_id'))
        batch_op.drop_index('ix_topic_tag_remark')
        batch_op.drop_index('ix_topic_tag_recommendation')

    op.drop_table('topic_tag')
    with op.batch_alter_table('link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_remark_id'))
        batch_op.drop_index(batch_op.f('ix_link_recommendation_id'))

    op.drop_table('link')
    with op.batch_alter_table('statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_document_id'))

    op.drop_table('statement')
    with op.batch_alter_table('remark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remark_participant_id'))
        batch_op.drop_index(batch_op.f('ix_remark_paragraph_id'))
        batch_op.drop_index(batch_op.f('ix_remark_document_id'))

    op.drop_table('remark')
    with op.batch_alter_table('recurrence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recurrence_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_recurrence_other_id'))

    op.drop_table('recurrence')
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mention_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_mention_paragraph_id'))
        batch_op.drop_index('ix_mention_kind_key')
        batch_op.drop_index(batch_op.f('ix_mention_document_id'))

    op.drop_table('mention')
    with op.batch_alter_table('footnote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_footnote_document_id'))

    op.drop_table('footnote')
    with op.batch_alter_table('document_reference', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_reference_symbol'))
        batch_op.drop_index(batch_op.f('ix_document_reference_document_id'))

    op.drop_table('document_reference')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_section_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_parent_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_document_id'))

    op.drop_table('recommendation')
    with op.batch_alter_table('paragraph', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paragraph_section_id'))
        batch_op.drop_index(batch_op.f('ix_paragraph_document_id'))

    op.drop_table('paragraph')
    with op.batch_alter_table('panel_seat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_panel_seat_participant_id'))
        batch_op.drop_index(batch_op.f('ix_panel_seat_agenda_item_id'))

    op.drop_table('panel_seat')
    with op.batch_alter_table('section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_document_id'))

    op.drop_table('section')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_kind'))
        batch_op.drop_index(batch_op.f('ix_participant_document_id'))

    op.drop_table('participant')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_document_id'))

    op.drop_table('agenda_item')
    op.drop_table('topic')
    op.drop_table('document')
