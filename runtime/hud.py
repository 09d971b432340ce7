"""The streamer's HUD: short messages for the OBS overlays, separate from chat, kept for a few minutes.

Each item is for the streamer only (Byte's tips, private notes: the streamer-only overlay and the dashboard) or for
the viewers too (the public overlay that goes into an OBS scene). Anything not said to be public stays private.

Events: `item_pushed(entry)` for each item shown on the overlay."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from nicegui import Event

from persistence.models import HudItem
from persistence.repositories import Repositories
from runtime.clock import Clock
from runtime.safety.gate import SafetyGate
from runtime.storage import in_database

log = logging.getLogger(__name__)

MAX_TEXT = 300
MAX_ITEMS = 20
DEFAULT_TTL_SECONDS = 600
AUDIENCES = ('streamer', 'viewers')


@dataclass(frozen=True)
class HudEntry:
    id: int
    text: str
    source: str
    channel: str | None
    created_at: datetime
    expires_at: datetime
    audience: str = 'streamer'

    @property
    def is_public(self) -> bool:
        return self.audience == 'viewers'


class Hud:
    """Owns the HUD items: pushes are written through, then shown on every open overlay."""

    def __init__(self, repositories: Repositories, clock: Clock, gate: SafetyGate) -> None:
        self.repositories = repositories
        self.gate = gate
        self.clock = clock
        self.item_pushed: Event[[HudEntry]] = Event()
        self._items: deque[HudEntry] = deque(maxlen=MAX_ITEMS)

    async def restore(self) -> None:
        rows = await in_database(self.repositories.hud.active, self.clock.now(), MAX_ITEMS)
        self._items.clear()
        self._items.extend(self._entry(row, login) for row, login in rows)

    def active(self) -> list[HudEntry]:
        now = self.clock.now()
        return [item for item in self._items if item.expires_at > now]

    async def push(self, text: str, source: str = 'byte', channel: str | None = None,
                   channel_id: int | None = None, ttl_seconds: float = DEFAULT_TTL_SECONDS,
                   audience: str = 'streamer') -> HudEntry:
        """Show a message on the HUD once the safety gate passed it (it is shown on stream). Raises ValueError for
        empty or refused text; longer text is cut to 300 characters."""
        if not text.strip():
            raise ValueError('a HUD message needs some text')
        if audience not in AUDIENCES:
            raise ValueError(f'a HUD message is for {" or ".join(AUDIENCES)}, not {audience!r}')
        verdict = self.gate.check(channel, text[:MAX_TEXT * 2], origin=f'hud:{source}'[:40])
        if verdict.is_refused:
            raise ValueError(f'the safety gate refused this overlay text ({", ".join(verdict.reasons)})')
        text = verdict.text
        if not 1 <= ttl_seconds <= 86_400:
            raise ValueError('a HUD message lives between 1 second and 1 day')
        now = self.clock.now()
        row = HudItem(text=text[:MAX_TEXT], source=(source.strip().lower() or 'byte')[:40], channel_id=channel_id,
                      audience=audience, created_at=now, expires_at=now + timedelta(seconds=ttl_seconds))
        row = await in_database(self.repositories.hud.add, row)
        entry = self._entry(row, channel)
        self._items.append(entry)
        self.item_pushed.emit(entry)
        return entry

    async def purge_expired(self) -> int:
        return await in_database(self.repositories.hud.purge_expired, self.clock.now())

    @staticmethod
    def _entry(row: HudItem, channel: str | None) -> HudEntry:
        assert row.id is not None
        return HudEntry(id=row.id, text=row.text, source=row.source, channel=channel, created_at=row.created_at,
                        expires_at=row.expires_at, audience=row.audience)
