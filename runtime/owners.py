"""Who may manage Byte from chat: the configured owner, and each channel's own broadcaster in that channel."""

from __future__ import annotations

from runtime.channels import Channels
from runtime.chat import ChatLine


class Owners:
    def __init__(self, channels: Channels, owner_id: str | None) -> None:
        self.channels = channels
        self.owner_id = owner_id

    def wrote(self, line: ChatLine) -> bool:
        """Whether an owner wrote this line (Twitch user ids only: a display name can be anyone's)."""
        if not line.author_id:
            return False
        runtime = self.channels.get(line.channel)
        return line.author_id == self.owner_id or bool(
            runtime and runtime.twitch_user_id and line.author_id == runtime.twitch_user_id)
