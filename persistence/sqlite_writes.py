"""One SQLite write transaction at a time in this process, handed over in turn.

SQLite lets one connection write at a time; the others poll (the busy timeout) and give up with `database is
locked` when they keep missing the moment it is free, which a writer busy all the time (the history writer under a
flood) makes likely. Here every pooled connection takes one process-wide lock at its first INSERT, UPDATE, DELETE
or REPLACE and gives it back when the transaction ends, so writers wait in the operating system for their turn
instead of polling. Reads never take it (WAL lets them run beside a writer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from persistence.sqlite_driver import sqlite

if TYPE_CHECKING:  # the chosen library's classes have the standard library's shape
    from sqlite3 import Connection as _Connection
    from sqlite3 import Cursor as _Cursor
else:
    _Connection, _Cursor = sqlite.Connection, sqlite.Cursor

WRITE_WAIT_SECONDS = 30.0
_WRITES = ('INSERT', 'UPDATE', 'DELETE', 'REPLAC')
_write_turn = threading.Lock()


class TurnTakingConnection(_Connection):
    """A SQLite connection whose write transactions take the process's write turn (pass as `factory=`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.holds_turn = False

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or TurnTakingCursor)

    def take_turn_for(self, sql: str) -> None:
        if self.holds_turn or sql.lstrip()[:6].upper() not in _WRITES:
            return
        if not _write_turn.acquire(timeout=WRITE_WAIT_SECONDS):
            raise sqlite.OperationalError(f'database is locked: another write held it for {WRITE_WAIT_SECONDS:.0f} s')
        self.holds_turn = True

    def settle(self) -> None:
        """After a statement: a write that left no transaction open (autocommit, or it failed) is done."""
        if self.holds_turn and not self.in_transaction:
            self.give_turn_back()

    def give_turn_back(self) -> None:
        if self.holds_turn:
            self.holds_turn = False
            _write_turn.release()

    def commit(self) -> None:
        self._ending(super().commit)

    def rollback(self) -> None:
        self._ending(super().rollback)

    def close(self) -> None:
        self._ending(super().close)

    def _ending(self, end: Callable[[], None]) -> None:
        try:
            end()
        finally:
            self.give_turn_back()


class TurnTakingCursor(_Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> TurnTakingCursor:
        return self._in_turn(super().execute, sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> TurnTakingCursor:
        return self._in_turn(super().executemany, sql, parameters)

    def _in_turn(self, run: Callable[[str, Any], Any], sql: str, parameters: Any) -> TurnTakingCursor:
        connection: TurnTakingConnection = self.connection  # type: ignore[assignment]
        connection.take_turn_for(sql)
        try:
            run(sql, parameters)
            return self
        finally:
            connection.settle()
