"""annotations: the user tables (collections, tags, notes, positions, priorities, highlights, links)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Made with autogenerate (models/annotations/tables.py), less the FTS5 shadow
tables autogenerate wrongly proposes to drop. The data step gives every library
its empty "Briefing" collection, new ones and upgraded ones alike.
"""

import datetime as dt

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

BRIEFING = "Briefing"  # as models.annotations.BRIEFING; a migration must not import the live models


def upgrade() -> None:
    op.create_table('user_collection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created', sa.String(length=32), nullable=False),
    sa.Column('updated', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['user_collection.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('user_collection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_collection_parent_id'), ['parent_id'], unique=False)

    op.create_table('user_curated_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_key', sa.String(length=120), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('paragraph', sa.Integer(), nullable=False),
    sa.Column('remark_position', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created', sa.String(length=32), nullable=False),
    sa.Column('updated', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('user_curated_link', schema=None) as batch_op:
        batch_op.create_index('ix_user_curated_link_key', ['document_key', 'number'], unique=False)

    op.create_table('user_highlight',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_key', sa.String(length=120), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('colour', sa.String(length=20), nullable=False),
    sa.Column('updated', sa.String(length=32), nullable=False),
    sa.CheckConstraint('start >= 0 AND "end" > start', name='ck_user_highlight_span'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_key', 'number', 'start', 'end', 'colour')
    )
    op.create_table('user_note',
    sa.Column('document_key', sa.String(length=120), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('document_key', 'number')
    )
    op.create_table('user_position',
    sa.Column('document_key', sa.String(length=120), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('position', sa.String(length=20), nullable=False),
    sa.Column('updated', sa.String(length=32), nullable=False),
    sa.CheckConstraint("position IN ('support', 'oppose', 'neutral', 'needs_instructions')", name='ck_user_position_position'),
    sa.PrimaryKeyConstraint('document_key', 'number')
    )
    op.create_table('user_priority',
    sa.Column('document_key', sa.String(length=120), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('flag', sa.Boolean(), nullable=False),
    sa.Column('updated', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('document_key', 'number')
    )
    op.create_table('user_rejected_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_key', sa.String(length=120), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('paragraph', sa.Integer(), nullable=False),
    sa.Column('remark_position', sa.Integer(), nullable=True),
    sa.Column('updated', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('user_rejected_link', schema=None) as batch_op:
        batch_op.create_index('ix_user_rejected_link_key', ['document_key', 'number'], unique=False)

    op.create_table('user_tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created', sa.String(length=32), nullable=False),
    sa.Column('updated', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['user_tag.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('user_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_tag_parent_id'), ['parent_id'], unique=False)

    op.create_table('user_collection_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('document_key', sa.String(length=120), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('updated', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['collection_id'], ['user_collection.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('collection_id', 'document_key', 'number')
    )
    with op.batch_alter_table('user_collection_item', schema=None) as batch_op:
        batch_op.create_index('ix_user_collection_item_key', ['document_key', 'number'], unique=False)

    op.create_table('user_tag_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.Column('document_key', sa.String(length=120), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('updated', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['user_tag.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tag_id', 'document_key', 'number')
    )
    with op.batch_alter_table('user_tag_item', schema=None) as batch_op:
        batch_op.create_index('ix_user_tag_item_key', ['document_key', 'number'], unique=False)

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    collection = sa.table(
        "user_collection",
        sa.column("name", sa.String),
        sa.column("parent_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("created", sa.String),
        sa.column("updated", sa.String),
    )
    op.bulk_insert(collection, [{"name": BRIEFING, "parent_id": None, "position": 0, "created": stamp, "updated": stamp}])


def downgrade() -> None:
    with op.batch_alter_table('user_tag_item', schema=None) as batch_op:
        batch_op.drop_index('ix_user_tag_item_key')

    op.drop_table('user_tag_item')
    with op.batch_alter_table('user_collection_item', schema=None) as batch_op:
        batch_op.drop_index('ix_user_collection_item_key')

    op.drop_table('user_collection_item')
    with op.batch_alter_table('user_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_tag_parent_id'))

    op.drop_table('user_tag')
    with op.batch_alter_table('user_rejected_link', schema=None) as batch_op:
        batch_op.drop_index('ix_user_rejected_link_key')

    op.drop_table('user_rejected_link')
    op.drop_table('user_priority')
    op.drop_table('user_position')
    op.drop_table('user_note')
    op.drop_table('user_highlight')
    with op.batch_alter_table('user_curated_link', schema=None) as batch_op:
        batch_op.drop_index('ix_user_curated_link_key')

    op.drop_table('user_curated_link')
    with op.batch_alter_table('user_collection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_collection_parent_id'))

    op.drop_table('user_collection')
