"""Alembic environment. Byte passes an open connection in `config.attributes['connection']` when it migrates on
start. From the command line (to write the next migration), the database comes from BYTE_DATABASE_URL:

    export BYTE_DATABASE_URL=sqlite:///scratch.sqlite3
    alembic -c persistence/migrations/alembic.ini upgrade head
    alembic -c persistence/migrations/alembic.ini revision --autogenerate -m "what changed"
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from persistence.models import SQLModel


def run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == 'sqlite',  # type: ignore[attr-defined]
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get('connection')
if given is not None:
    run(given)
else:
    url = os.environ.get('BYTE_DATABASE_URL')
    if not url:
        raise RuntimeError('set BYTE_DATABASE_URL to the database the command should use')
    with create_engine(url).connect() as connection:
        run(connection)
        connection.commit()
