"""The newest log lines, kept in memory for the dashboard's log view and for problem reports (Byte's log goes to the
terminal, which a streamer who started Byte from an icon never sees)."""

from __future__ import annotations

import logging
from collections import deque

FORMAT = '%(asctime)s %(levelname)s %(name)s: %(message)s'


class RecentLog(logging.Handler):
    def __init__(self, capacity: int = 2000) -> None:
        super().__init__(level=logging.INFO)
        self.setFormatter(logging.Formatter(FORMAT))
        self._lines: deque[tuple[int, int, str]] = deque(maxlen=capacity)  # (number, level, text)
        self._count = 0

    @property
    def count(self) -> int:
        """How many lines were ever kept (a view asks for what came after the count it last saw)."""
        return self._count

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:
            self.handleError(record)
            return
        self._count += 1
        self._lines.append((self._count, record.levelno, text))

    def lines(self, limit: int = 200, level: int = logging.INFO, after: int = 0) -> list[str]:
        """The newest `limit` lines at `level` or above, numbered after `after`, oldest first."""
        chosen = [text for number, line_level, text in self._lines if line_level >= level and number > after]
        return chosen[-limit:] if limit else []

    def attach(self) -> None:
        root = logging.getLogger()
        if self not in root.handlers:
            root.addHandler(self)

    def detach(self) -> None:
        logging.getLogger().removeHandler(self)
