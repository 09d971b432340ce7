"""Byte's memory: entries per channel (with their stored vectors) and the viewers who asked to be forgotten.

The vector indexes (sqlite-vec on SQLite, pgvector's HNSW on PostgreSQL) are not made here: they are built from the
stored vectors by the memory index at start, per embedding model, and can be dropped and rebuilt at any time.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from persistence.types import UtcDateTime

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'memory_entries',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), primary_key=True, autoincrement=True),
        sa.Column('entry_id', sa.String(length=32), nullable=False, unique=True),
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('viewer', sa.String(length=25), nullable=False, server_default=''),
        sa.Column('viewer_id', sa.String(length=32), nullable=True),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('is_pinned', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('is_private', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('tags', sa.JSON(), nullable=False),
        sa.Column('context', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('expires_at', UtcDateTime(), nullable=True),
        sa.Column('use_count', sa.Integer(), nullable=False),
        sa.Column('last_used_at', UtcDateTime(), nullable=True),
        sa.Column('embedding_model', sa.String(length=80), nullable=False, server_default=''),
        sa.Column('embedding', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
    )
    op.create_index('ix_memory_entries_channel_viewer', 'memory_entries', ['channel_id', 'viewer'])
    op.create_index('ix_memory_entries_expires', 'memory_entries', ['expires_at'])
    op.create_index('ix_memory_entries_model', 'memory_entries', ['embedding_model'])
    op.create_table(
        'memory_opt_outs',
        sa.Column('channel_id', sa.Integer(), sa.ForeignKey('channels.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('viewer', sa.String(length=25), primary_key=True),
        sa.Column('at', UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('memory_opt_outs')
    op.drop_index('ix_memory_entries_model', table_name='memory_entries')
    op.drop_index('ix_memory_entries_expires', table_name='memory_entries')
    op.drop_index('ix_memory_entries_channel_viewer', table_name='memory_entries')
    op.drop_table('memory_entries')
