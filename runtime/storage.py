"""Runs a repository call off the event loop and turns any database failure into one readable StorageError."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError

P = ParamSpec('P')
T = TypeVar('T')


class StorageError(Exception):
    """The database did not take (or give) the data; nothing was reported as done."""


async def in_database(call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    try:
        return await asyncio.to_thread(call, *args, **kwargs)
    except SQLAlchemyError as error:
        cause = getattr(error, 'orig', None) or error  # the driver's own message is the readable one
        first_line = (str(cause).splitlines() or [''])[0][:200]
        raise StorageError(f'the database is unavailable ({type(error).__name__}: {first_line})') from error
