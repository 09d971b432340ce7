"""The record of Byte's answers and messages, kept across restarts.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'activity_records',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', UtcDateTime(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('channel', sa.String(length=25), nullable=False),
        sa.Column('record', sa.JSON(), nullable=False),
    )
    op.create_index('ix_activity_records_kind_id', 'activity_records', ['kind', 'id'])


def downgrade() -> None:
    op.drop_index('ix_activity_records_kind_id', table_name='activity_records')
    op.drop_table('activity_records')
