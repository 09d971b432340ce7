"""Alembic environment: Byte passes an open connection in `config.attributes['connection']`."""

from __future__ import annotations

from alembic import context

from persistence.models import SQLModel

connection = context.config.attributes.get('connection')
if connection is None:
    raise RuntimeError('run migrations through persistence.migrate, which supplies the connection')

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == 'sqlite',
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
