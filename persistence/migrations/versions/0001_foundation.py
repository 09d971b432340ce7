"""Foundation: channels, agent notes, channel state, chat history, HUD items, install secrets.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'channels',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('login', sa.String(length=25), nullable=False),
        sa.Column('twitch_user_id', sa.String(length=32), nullable=True),
        sa.Column('is_active', sa.Boolean(), nullable=False),
        sa.Column('is_paused', sa.Boolean(), nullable=False),
        sa.Column('temperature', sa.Float(), nullable=True),
        sa.Column('top_p', sa.Float(), nullable=True),
        sa.Column('style_profile', sa.Text(), nullable=False, server_default=''),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
        sa.UniqueConstraint('login'),
    )
    op.create_table(
        'agent_notes',
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('notes', sa.Text(), nullable=False, server_default=''),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )
    op.create_table(
        'channel_state',
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('current_game', sa.String(length=200), nullable=False),
        sa.Column('vibe', sa.String(length=100), nullable=False),
        sa.Column('last_event', sa.String(length=300), nullable=False),
        sa.Column('last_reply', sa.Text(), nullable=False, server_default=''),
        sa.Column('observability', sa.JSON(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )
    op.create_table(
        'chat_history',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), primary_key=True, autoincrement=True),
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), nullable=False),
        sa.Column('message_id', sa.String(length=64), nullable=False),
        sa.Column('author', sa.String(length=64), nullable=False),
        sa.Column('author_id', sa.String(length=32), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('sent_at', UtcDateTime(), nullable=False),
        sa.Column('is_bot', sa.Boolean(), nullable=False),
        sa.UniqueConstraint('channel_id', 'message_id', name='uq_chat_history_channel_message'),
    )
    op.create_index('ix_chat_history_channel_sent', 'chat_history', ['channel_id', 'sent_at'])
    op.create_table(
        'hud_items',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), nullable=True),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('source', sa.String(length=40), nullable=False),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('expires_at', UtcDateTime(), nullable=False),
    )
    op.create_index('ix_hud_items_expires_at', 'hud_items', ['expires_at'])
    op.create_table(
        'install_secrets',
        sa.Column('name', sa.String(length=40), primary_key=True),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    for table in ('install_secrets', 'hud_items', 'chat_history', 'channel_state', 'agent_notes', 'channels'):
        op.drop_table(table)
