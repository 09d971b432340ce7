"""Clip jobs.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'clip_jobs',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('channel', sa.String(length=25), nullable=False),
        sa.Column('broadcaster_id', sa.String(length=32), nullable=True),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('requested_by', sa.String(length=64), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=True, unique=True),
        sa.Column('title', sa.String(length=100), nullable=False),
        sa.Column('duration', sa.Float(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('twitch_clip_id', sa.String(length=100), nullable=True),
        sa.Column('edit_url', sa.String(length=300), nullable=True),
        sa.Column('clip_url', sa.String(length=300), nullable=True),
        sa.Column('thumbnail_url', sa.String(length=500), nullable=True),
        sa.Column('error', sa.String(length=300), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_at', UtcDateTime(), nullable=False),
        sa.Column('attempt_started_at', UtcDateTime(), nullable=True),
        sa.Column('poll_deadline', UtcDateTime(), nullable=True),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
        sa.Column('finished_at', UtcDateTime(), nullable=True),
    )
    op.create_index('ix_clip_jobs_status', 'clip_jobs', ['status'])
    op.create_index('ix_clip_jobs_channel_created', 'clip_jobs', ['channel', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_clip_jobs_channel_created', table_name='clip_jobs')
    op.drop_index('ix_clip_jobs_status', table_name='clip_jobs')
    op.drop_table('clip_jobs')
