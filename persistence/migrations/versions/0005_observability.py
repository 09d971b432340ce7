"""Observability: metric buckets, chatter totals, recent events, post-stream reports.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'metric_buckets',
        sa.Column('channel_id', sa.Integer(), primary_key=True),
        sa.Column('period', sa.String(length=1), primary_key=True),
        sa.Column('bucket_start', UtcDateTime(), primary_key=True),
        sa.Column('name', sa.String(length=60), primary_key=True),
        sa.Column('value', sa.Float(), nullable=False),
    )
    op.create_index('ix_metric_buckets_period_start', 'metric_buckets', ['period', 'bucket_start'])
    op.create_table(
        'chatter_totals',
        sa.Column('channel_id', sa.Integer(), primary_key=True),
        sa.Column('author', sa.String(length=64), primary_key=True),
        sa.Column('messages', sa.Integer(), nullable=False),
        sa.Column('triggers', sa.Integer(), nullable=False),
    )
    op.create_table(
        'metric_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', UtcDateTime(), nullable=False),
        sa.Column('channel_id', sa.Integer(), nullable=False),
        sa.Column('level', sa.String(length=10), nullable=False),
        sa.Column('category', sa.String(length=60), nullable=False),
        sa.Column('message', sa.String(length=300), nullable=False),
    )
    op.create_index('ix_metric_events_at', 'metric_events', ['at'])
    op.create_table(
        'stream_reports',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('channel_id', sa.Integer(), nullable=False),
        sa.Column('started_at', UtcDateTime(), nullable=False),
        sa.Column('ended_at', UtcDateTime(), nullable=False),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('report', sa.JSON(), nullable=False),
    )
    op.create_index('ix_stream_reports_channel_id', 'stream_reports', ['channel_id'])


def downgrade() -> None:
    for table in ('stream_reports', 'metric_events', 'chatter_totals', 'metric_buckets'):
        op.drop_table(table)
