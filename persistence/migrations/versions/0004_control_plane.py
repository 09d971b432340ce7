"""The control plane: configuration, goals and their schedule, goal runs, the panic switch, the action queue.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'control_plane',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('config', sa.JSON(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )
    op.create_table(
        'goals',
        sa.Column('id', sa.String(length=40), primary_key=True),
        sa.Column('channel', sa.String(length=25), nullable=True),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('prompt', sa.Text(), nullable=False),
        sa.Column('risk', sa.String(length=30), nullable=False),
        sa.Column('interval_seconds', sa.Integer(), nullable=True),
        sa.Column('cron', sa.String(length=100), nullable=True),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )
    op.create_table(
        'goal_schedule',
        sa.Column('goal_id', sa.String(length=40), primary_key=True),
        sa.Column('channel', sa.String(length=25), primary_key=True),
        sa.Column('next_run_at', UtcDateTime(), nullable=False),
        sa.Column('last_run_at', UtcDateTime(), nullable=True),
    )
    op.create_table(
        'goal_runs',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('goal_id', sa.String(length=40), nullable=False),
        sa.Column('channel', sa.String(length=25), nullable=False),
        sa.Column('risk', sa.String(length=30), nullable=False),
        sa.Column('outcome', sa.String(length=30), nullable=False),
        sa.Column('detail', sa.String(length=300), nullable=False),
        sa.Column('at', UtcDateTime(), nullable=False),
    )
    op.create_index('ix_goal_runs_channel_at', 'goal_runs', ['channel', 'at'])
    op.create_table(
        'agent_state',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('is_suspended', sa.Boolean(), nullable=False),
        sa.Column('suspend_reason', sa.String(length=200), nullable=False),
        sa.Column('suspended_at', UtcDateTime(), nullable=True),
        sa.Column('resume_reason', sa.String(length=200), nullable=False),
        sa.Column('resumed_at', UtcDateTime(), nullable=True),
    )
    op.create_table(
        'action_items',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('channel', sa.String(length=25), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('risk', sa.String(length=30), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('dedupe_key', sa.String(length=120), nullable=True),
        sa.Column('merged_count', sa.Integer(), nullable=False),
        sa.Column('decided_by', sa.String(length=40), nullable=True),
        sa.Column('decision_note', sa.String(length=500), nullable=True),
        sa.Column('result', sa.String(length=300), nullable=True),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
        sa.Column('expires_at', UtcDateTime(), nullable=False),
    )
    op.create_index('ix_action_items_status', 'action_items', ['status'])
    op.create_index('ix_action_items_dedupe', 'action_items', ['dedupe_key'])
    op.create_table(
        'action_audit',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('item_id', sa.Integer(), sa.ForeignKey('action_items.id', ondelete='CASCADE'), nullable=False),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('actor', sa.String(length=40), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('at', UtcDateTime(), nullable=False),
    )
    op.create_index('ix_action_audit_item_id', 'action_audit', ['item_id'])


def downgrade() -> None:
    for table in ('action_audit', 'action_items', 'agent_state', 'goal_runs', 'goal_schedule', 'goals',
                  'control_plane'):
        op.drop_table(table)
