"""The chat transport interface: the simulator now, Twitch EventSub and IRC later, all behind the same methods."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from runtime.channel_events import ChannelEvent
from runtime.chat import ChatLine
from runtime.clips.api import ClipApi
from runtime.status import TransportStatus

MessageHandler = Callable[[ChatLine], object]
EventHandler = Callable[[ChannelEvent], object]
RoomWaiter = Callable[[], Awaitable[None]]


@dataclass(frozen=True)
class SendResult:
    is_sent: bool
    message_id: str | None = None
    reason: str = ''  # why Twitch (or the transport) refused, when it did


@dataclass(frozen=True)
class Inbound:
    """Where a transport hands what it reads, given to it when it is built: every line to `deliver`, which returns
    quickly (it never awaits I/O); `room`, when given, is awaited between reads and returns when Byte can take
    more lines; every channel event (a follow, a raid, a redemption) to `notice`, which returns quickly too."""
    deliver: MessageHandler
    room: RoomWaiter | None = None
    notice: EventHandler | None = None


class ChannelLookup(Protocol):
    """What a Twitch connection answers about a channel through Helix (for the variables of custom commands)."""

    async def channel_info(self, login: str) -> tuple[str, str] | None:
        """The channel's game and title; None when unknown."""

    async def followed_at(self, login: str, user_id: str) -> datetime | None:
        """When the user followed the channel; None when they do not. TransportError when it cannot be told."""


class TransportError(Exception):
    """A join, part or send the transport could not do; the message says why."""


class ChatTransport(ABC):
    """Delivers incoming chat lines to one handler and carries Byte's messages out."""

    name: str
    events_note = ''  # what this connection tells of channel events besides `listening`

    def __init__(self, inbound: Inbound | None = None, status: TransportStatus | None = None) -> None:
        self.status = status or TransportStatus()  # shared across transport switches so views stay bound
        self.status.name, self.status.state, self.status.detail, self.status.can_send = self.name, 'stopped', '', False
        self.moderator_channels: set[str] = set()  # where the bot is a moderator or the broadcaster
        self.listening: dict[str, dict[str, str]] = {}  # channel -> events it hears: '' when it does, else why not
        self.inbound = inbound  # None: what it reads goes nowhere (a transport used only to send)

    @property
    def bot_user_id(self) -> str | None:
        """Byte's own chat identity on this transport (a reply to it is a prompt), when known."""
        return None

    def is_moderator(self, login: str) -> bool:
        """Twitch allows more messages where the bot is a moderator; unknown means no."""
        return login in self.moderator_channels

    def deliver(self, line: ChatLine) -> None:
        if self.inbound is not None:
            self.inbound.deliver(line)

    def heard_events(self, login: str) -> tuple[str, dict[str, str]]:
        """A note on the channel events this connection reports, and per kind of event whether it hears them."""
        return self.events_note, dict(self.listening.get(login, {}))

    def announce(self, event: ChannelEvent) -> None:
        if self.inbound is not None and self.inbound.notice is not None:
            self.inbound.notice(event)

    async def wait_for_room(self) -> None:
        """Readers call this between reads, so a flood Byte cannot store yet waits in the socket."""
        if self.inbound is not None and self.inbound.room is not None:
            await self.inbound.room()

    @abstractmethod
    async def start(self) -> None: ...

    @abstractmethod
    async def stop(self) -> None: ...

    @abstractmethod
    async def join(self, login: str) -> str | None:
        """Start receiving a channel's chat; returns its Twitch user id when the transport knows it."""

    @abstractmethod
    async def part(self, login: str) -> None: ...

    @abstractmethod
    async def send(self, login: str, text: str, reply_to: str | None = None) -> SendResult: ...

    async def live_channels(self, logins: list[str]) -> dict[str, datetime] | None:
        """The channels on air now, with the time each stream started; None when this connection cannot tell."""
        return None

    def clip_api(self) -> ClipApi | None:
        """Making clips on Twitch; None when this connection cannot."""
        return None

    def channel_lookup(self) -> ChannelLookup | None:
        """Channel facts from Helix (game, title, follows); None when this connection has none."""
        return None

    async def moderate(self, login: str, action: str, message_id: str, user_id: str, seconds: int,
                       reason: str) -> str:
        """Delete a message or time a user out; returns what was done. Raises TransportError when it cannot."""
        raise TransportError(f'the {self.name} connection cannot moderate chat')

    async def shoutout(self, login: str, to_user_id: str) -> str:
        """Twitch's shoutout of another channel from this one; returns what was done. TransportError when it
        cannot (no moderator rights, the stream is offline, Twitch's two-minute limit)."""
        raise TransportError(f'the {self.name} connection cannot give shoutouts')

    async def resolve_held(self, login: str, message_id: str, allow: bool) -> str:
        """Allow (show) or deny a message Twitch's AutoMod held; returns what was done. TransportError when it
        cannot."""
        raise TransportError(f'the {self.name} connection cannot resolve AutoMod holds')

    async def blocked_terms(self, login: str) -> list[str]:
        """The channel's blocked terms on Twitch (AutoMod holds a message with one). TransportError when unknown."""
        raise TransportError(f'the {self.name} connection cannot read Twitch\'s blocked terms')

    async def add_blocked_term(self, login: str, term: str) -> None:
        """Add a term to the channel's blocked terms on Twitch. TransportError when it cannot."""
        raise TransportError(f'the {self.name} connection cannot change Twitch\'s blocked terms')

    async def create_reward(self, login: str, title: str, cost: int, prompt: str) -> str:
        """Make a channel-point reward on Twitch (with `prompt`, viewers must type a text); returns its id. Only the
        app that made a reward may settle its redemptions. TransportError when it cannot."""
        raise TransportError(f'the {self.name} connection cannot make channel-point rewards')

    async def settle_redemption(self, login: str, reward_id: str, redemption_id: str, fulfil: bool) -> str:
        """Mark a channel-point redemption fulfilled, or cancel it (Twitch refunds the points); returns what was
        done. TransportError when it cannot."""
        raise TransportError(f'the {self.name} connection cannot settle channel-point redemptions')
