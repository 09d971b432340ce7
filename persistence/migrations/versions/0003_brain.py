"""The chat brain: links allowed per channel, LLM usage per channel and day.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('channels') as batch:
        batch.add_column(sa.Column('allow_links', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'llm_usage',
        sa.Column('channel_id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date(), primary_key=True),
        sa.Column('requests', sa.Integer(), nullable=False),
        sa.Column('prompt_tokens', sa.Integer(), nullable=False),
        sa.Column('completion_tokens', sa.Integer(), nullable=False),
        sa.Column('cost_usd', sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('llm_usage')
    with op.batch_alter_table('channels') as batch:
        batch.drop_column('allow_links')
