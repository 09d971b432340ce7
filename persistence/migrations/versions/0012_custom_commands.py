"""The streamer's own chat commands, each in one channel.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'custom_commands',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), nullable=False),
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('aliases', sa.JSON(), nullable=False),
        sa.Column('response', sa.String(length=400), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('cooldown_seconds', sa.Integer(), nullable=False),
        sa.Column('user_cooldown_seconds', sa.Integer(), nullable=False),
        sa.Column('staff_skip_cooldown', sa.Boolean(), nullable=False),
        sa.Column('is_counter', sa.Boolean(), nullable=False),
        sa.Column('is_enabled', sa.Boolean(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('use_count', sa.Integer(), nullable=False),
        sa.Column('last_used_at', UtcDateTime(), nullable=True),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
        sa.UniqueConstraint('channel_id', 'name', name='uq_custom_commands_channel_name'),
    )
    op.create_index('ix_custom_commands_channel_id', 'custom_commands', ['channel_id'])


def downgrade() -> None:
    op.drop_index('ix_custom_commands_channel_id', table_name='custom_commands')
    op.drop_table('custom_commands')
