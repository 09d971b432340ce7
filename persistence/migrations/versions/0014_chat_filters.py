"""Chat filters: each channel's filter settings, and what the filters did.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'channel_filters',
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('document', sa.JSON(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )
    op.create_table(
        'filter_actions',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), nullable=False),
        sa.Column('at', UtcDateTime(), nullable=False),
        sa.Column('viewer', sa.String(length=64), nullable=False),
        sa.Column('viewer_id', sa.String(length=32), nullable=False),
        sa.Column('message_id', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('filter', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=80), nullable=False),
        sa.Column('detail', sa.String(length=100), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('seconds', sa.Integer(), nullable=False),
        sa.Column('strike', sa.Integer(), nullable=False),
        sa.Column('dry_run', sa.Boolean(), nullable=False),
        sa.Column('outcome', sa.String(length=200), nullable=False),
    )
    op.create_index('ix_filter_actions_channel_at', 'filter_actions', ['channel_id', 'at'])


def downgrade() -> None:
    op.drop_index('ix_filter_actions_channel_at', table_name='filter_actions')
    op.drop_table('filter_actions')
    op.drop_table('channel_filters')
