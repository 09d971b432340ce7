"""The streamer's timers: rotating messages, each in one channel.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'chat_timers',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('messages', sa.JSON(), nullable=False),
        sa.Column('interval_minutes', sa.Integer(), nullable=False),
        sa.Column('min_lines', sa.Integer(), nullable=False),
        sa.Column('online_only', sa.Boolean(), nullable=False),
        sa.Column('is_enabled', sa.Boolean(), nullable=False),
        sa.Column('next_index', sa.Integer(), nullable=False),
        sa.Column('run_count', sa.Integer(), nullable=False),
        sa.Column('last_run_at', UtcDateTime(), nullable=True),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
        sa.UniqueConstraint('channel_id', 'name', name='uq_chat_timers_channel_name'),
    )
    op.create_index('ix_chat_timers_channel_id', 'chat_timers', ['channel_id'])


def downgrade() -> None:
    op.drop_index('ix_chat_timers_channel_id', table_name='chat_timers')
    op.drop_table('chat_timers')
