"""Who an overlay item is for: the streamer only (tips, private notes) or the viewers too (the public overlay).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hud_items') as batch:
        batch.add_column(sa.Column('audience', sa.String(length=10), nullable=False, server_default='streamer'))


def downgrade() -> None:
    with op.batch_alter_table('hud_items') as batch:
        batch.drop_column('audience')
