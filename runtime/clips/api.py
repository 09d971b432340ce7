"""What the clip jobs need from Twitch, whatever connection provides it, and how a failure is classified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

REAUTHORIZE = 're-authorise the bot account with the clips:edit scope (Settings → Twitch account)'


@dataclass(frozen=True)
class CreatedClip:
    clip_id: str
    edit_url: str


@dataclass(frozen=True)
class FoundClip:
    clip_id: str
    url: str
    thumbnail_url: str
    edit_url: str = ''


class ClipError(Exception):
    """kind: 'transient' (retried with backoff), 'rate_limited' (retried at `retry_at`, epoch seconds), 'auth'
    (fails: the account must be authorised again) or 'refused' (fails: Twitch said no, e.g. not live).
    `maybe_done`: the request may have reached Twitch although no answer came back (a timeout, a dropped
    connection), so a creation may have happened."""

    def __init__(self, kind: str, message: str, retry_at: float | None = None, maybe_done: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        self.retry_at = retry_at
        self.maybe_done = maybe_done


class ClipApi(Protocol):
    async def broadcaster_id(self, login: str) -> str:
        """The channel's Twitch user id. Raises ClipError."""

    async def create(self, broadcaster_id: str, title: str, duration: float) -> CreatedClip:
        """Ask Twitch for a clip of the live stream. Raises ClipError."""

    async def find(self, clip_id: str) -> FoundClip | None:
        """The clip once Twitch has made it; None while it is not there (yet). Raises ClipError."""

    async def find_since(self, broadcaster_id: str, since: datetime) -> FoundClip | None:
        """A clip this account made of the channel since `since` (finding the result of a creation that a restart
        interrupted). Raises ClipError."""

    def wait_seconds(self) -> float:
        """How long Twitch's rate limit asks us to wait before the next call (0 when it does not)."""
