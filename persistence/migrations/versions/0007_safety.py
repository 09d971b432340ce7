"""The safety gate: refused and rewritten texts, each channel's safety settings, broadcasters' AutoMod grants.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'safety_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', UtcDateTime(), nullable=False),
        sa.Column('channel', sa.String(length=25), nullable=False),
        sa.Column('origin', sa.String(length=40), nullable=False),
        sa.Column('viewer', sa.String(length=64), nullable=False),
        sa.Column('verdict', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.String(length=40), nullable=False),
        sa.Column('reasons', sa.String(length=300), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('sent_text', sa.Text(), nullable=False, server_default=''),
    )
    op.create_index('ix_safety_events_at', 'safety_events', ['at'])
    op.create_index('ix_safety_events_channel_at', 'safety_events', ['channel', 'at'])
    op.create_table(
        'channel_safety',
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('blocked_words', sa.JSON(), nullable=False),
        sa.Column('allowed_domains', sa.JSON(), nullable=False),
        sa.Column('use_moderation_model', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('use_automod', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )
    op.create_table(
        'broadcaster_grants',
        sa.Column('user_id', sa.String(length=32), primary_key=True),
        sa.Column('login', sa.String(length=25), nullable=False),
        sa.Column('access_token', sa.String(length=200), nullable=False),
        sa.Column('refresh_token', sa.String(length=200), nullable=True),
        sa.Column('scopes', sa.Text(), nullable=False, server_default=''),
        sa.Column('expires_at', UtcDateTime(), nullable=True),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('broadcaster_grants')
    op.drop_table('channel_safety')
    op.drop_index('ix_safety_events_channel_at', table_name='safety_events')
    op.drop_index('ix_safety_events_at', table_name='safety_events')
    op.drop_table('safety_events')
