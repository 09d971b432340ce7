"""May Byte send into a channel right now: asked for every message at the moment it would be sent (a message
queued before a pause or PANIC is held back by it too)."""

from __future__ import annotations

from enum import StrEnum

from runtime.channels import Channels
from runtime.control.plane import ControlPlane


class SendBlock(StrEnum):
    """Why a message may not be sent now; the value is the reason shown and stored with it."""

    NOT_JOINED = 'channel not joined'
    SUSPENDED = 'agent suspended'
    PAUSED = 'channel paused'


class SendPermission:
    def __init__(self, channels: Channels, control: ControlPlane) -> None:
        self.channels = channels
        self.control = control

    def block_reason(self, channel: str) -> SendBlock | None:
        runtime = self.channels.get(channel)
        if runtime is None:
            return SendBlock.NOT_JOINED
        if self.control.is_suspended:
            return SendBlock.SUSPENDED
        if runtime.is_paused:
            return SendBlock.PAUSED
        return None
