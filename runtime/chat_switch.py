"""Moves chat to another transport while Byte runs, and joins every channel again on it: when the streamer picks
another chat mode (the choice is stored) and when the Twitch account changes (a new login, a new token)."""

from __future__ import annotations

import logging

from nicegui import Event

from runtime.background import Background
from runtime.channels import Channels
from runtime.connection import ChatConnection
from runtime.storage import in_database
from runtime.transports.selection import ChatModes

log = logging.getLogger(__name__)


class ChatSwitch:
    def __init__(self, modes: ChatModes, connection: ChatConnection, channels: Channels,
                 account_changed: Event[[]]) -> None:
        self.modes = modes
        self.connection = connection
        self.channels = channels
        self.account_changed = account_changed
        self._asked: str | None = None  # why chat was last asked to reconnect, until it does
        self._reconnecting = Background('chat-reconnect')

    def start(self) -> None:
        """From now on an account change reconnects chat (the account is loaded first)."""
        self.account_changed.subscribe(self._on_account_changed)

    async def stop(self) -> None:
        self.account_changed.unsubscribe(self._on_account_changed)
        await self._reconnecting.stop()

    async def use(self, mode: str, reason: str) -> None:
        """Switch chat to another mode now (the streamer's choice is stored)."""
        await in_database(self.modes.choose, mode)
        await self.reconnect(reason)

    async def reconnect(self, reason: str) -> None:
        await self.connection.switch([runtime.login for runtime in self.channels.joined()], reason)

    def _on_account_changed(self) -> None:
        self._asked = 'Twitch account changed'
        self._reconnecting.start(self._reconnect_while_asked)

    async def _reconnect_while_asked(self) -> None:
        while self._asked:  # a change while it reconnects is followed by one more reconnect
            reason, self._asked = self._asked, None
            try:
                await self.reconnect(reason)
            except Exception:  # the connection shows its own state; the next change tries again
                log.exception('chat could not reconnect (%s)', reason)
