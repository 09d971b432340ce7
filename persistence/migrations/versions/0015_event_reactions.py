"""Event reactions: each channel's reaction settings, the channel events Byte heard, and the chatters each channel
has seen (filled from the chat history already stored); and each chat line's rank (who wrote it: a subscriber, a
VIP...), so filters can be tried on stored chat as they would have judged it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('chat_history') as batch:
        batch.add_column(sa.Column('rank', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'event_reactions',
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('document', sa.JSON(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )
    op.create_table(
        'channel_events',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), nullable=False),
        sa.Column('at', UtcDateTime(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('event_id', sa.String(length=100), nullable=False),
        sa.Column('viewer', sa.String(length=64), nullable=False),
        sa.Column('viewer_id', sa.String(length=32), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('months', sa.Integer(), nullable=False),
        sa.Column('tier', sa.String(length=8), nullable=False),
        sa.Column('reward', sa.String(length=45), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('reaction', sa.Text(), nullable=False),
        sa.Column('outcome', sa.String(length=300), nullable=False),
    )
    op.create_index('ix_channel_events_channel_at', 'channel_events', ['channel_id', 'at'])
    op.create_table(
        'known_chatters',
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('user_id', sa.String(length=32), primary_key=True),
        sa.Column('first_seen', UtcDateTime(), nullable=False),
    )
    op.execute('INSERT INTO known_chatters (channel_id, user_id, first_seen) '
               'SELECT channel_id, author_id, MIN(sent_at) FROM chat_history '
               'WHERE author_id IS NOT NULL AND is_bot = false GROUP BY channel_id, author_id')


def downgrade() -> None:
    op.drop_table('known_chatters')
    op.drop_index('ix_channel_events_channel_at', table_name='channel_events')
    op.drop_table('channel_events')
    op.drop_table('event_reactions')
    with op.batch_alter_table('chat_history') as batch:
        batch.drop_column('rank')
