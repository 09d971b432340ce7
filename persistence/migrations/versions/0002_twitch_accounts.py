"""Twitch tokens of the bot account, and install settings chosen in the dashboard.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'twitch_tokens',
        sa.Column('user_id', sa.String(length=32), primary_key=True),
        sa.Column('login', sa.String(length=25), nullable=False),
        sa.Column('access_token', sa.String(length=200), nullable=False),
        sa.Column('refresh_token', sa.String(length=200), nullable=True),
        sa.Column('scopes', sa.Text(), nullable=False, server_default=''),
        sa.Column('expires_at', UtcDateTime(), nullable=True),
        sa.Column('refreshed_at', UtcDateTime(), nullable=True),
        sa.Column('refresh_count', sa.Integer(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )
    op.create_table(
        'install_settings',
        sa.Column('name', sa.String(length=40), primary_key=True),
        sa.Column('value', sa.String(length=400), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('install_settings')
    op.drop_table('twitch_tokens')
