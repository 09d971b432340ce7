"""The local chat simulator: the embedded default when no Twitch account is configured.

The streamer (or a test) posts lines as any viewer; they flow through the same pipeline real chat uses.
Byte's own messages come back as bot lines, as Twitch echoes them.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from runtime.channel_events import FIRST_CHAT, KINDS, REDEMPTION, ChannelEvent
from runtime.chat import ChatLine
from runtime.clock import Clock
from runtime.logins import normalize_login
from runtime.status import TransportStatus
from runtime.transports.base import ChatTransport, Inbound, SendResult, TransportError

MAX_VIEWER_NAME = 25
MAX_MESSAGE = 500  # Twitch's limit
SIMULATED = tuple(kind for kind in (*KINDS, REDEMPTION) if kind != FIRST_CHAT)  # a first line comes from chat


class SimulatorTransport(ChatTransport):
    name = 'simulator'
    events_note = 'The simulator reports the events you post on this tab.'

    def __init__(self, clock: Clock, inbound: Inbound | None = None, bot_name: str = 'byte',
                 status: TransportStatus | None = None) -> None:
        super().__init__(inbound, status)
        self.clock = clock
        self.bot_name = bot_name
        self.joined: set[str] = set()
        self.moderation_log: list[tuple[str, str, str, str]] = []
        self.shoutouts: list[tuple[str, str]] = []  # (channel, the channel it shouted out)
        self.twitch_terms: dict[str, list[str]] = {}  # channel -> its blocked terms, as Twitch would keep them

    @property
    def bot_user_id(self) -> str | None:
        return f'sim-bot-{self.bot_name}'[:32]

    async def start(self) -> None:
        self.status.state, self.status.detail, self.status.can_send = 'connected', 'local chat simulator', True

    async def stop(self) -> None:
        self.status.state, self.status.can_send = 'stopped', False

    async def join(self, login: str) -> str | None:
        self.joined.add(login)
        return None

    async def part(self, login: str) -> None:
        self.joined.discard(login)

    async def send(self, login: str, text: str, reply_to: str | None = None) -> SendResult:
        if login not in self.joined:
            return SendResult(is_sent=False, reason='not_joined')
        line = self._line(login, self.bot_name, f'sim-bot-{self.bot_name}', text[:MAX_MESSAGE], is_bot=True)
        self.deliver(line)
        return SendResult(is_sent=True, message_id=line.message_id)

    async def moderate(self, login: str, action: str, message_id: str, user_id: str, seconds: int,
                       reason: str) -> str:
        if action not in {'delete', 'timeout'}:
            raise TransportError(f'unknown moderation action {action}')
        self.moderation_log.append((login, action, message_id, user_id))
        return f'simulated {action} of {user_id or message_id} in #{login}'

    async def shoutout(self, login: str, to_user_id: str) -> str:
        self.shoutouts.append((login, to_user_id))
        return f'simulated shoutout of {to_user_id.removeprefix("sim-")} in #{login}'

    async def resolve_held(self, login: str, message_id: str, allow: bool) -> str:
        return f'simulated: {"allowed" if allow else "denied"}'

    async def blocked_terms(self, login: str) -> list[str]:
        return list(self.twitch_terms.get(login, ()))

    async def add_blocked_term(self, login: str, term: str) -> None:
        self.twitch_terms.setdefault(login, []).append(term)

    async def create_reward(self, login: str, title: str, cost: int, prompt: str) -> str:
        return f'sim-{title}'[:64]

    async def settle_redemption(self, login: str, reward_id: str, redemption_id: str, fulfil: bool) -> str:
        return f'simulated: {"fulfilled" if fulfil else "cancelled, the points went back"}'

    def post_event(self, channel: str, event_kind: str, viewer: str, *, amount: int = 0, months: int = 0,
                   tier: str = '1000', message: str = '', reward: str = '') -> ChannelEvent:
        """Report a channel event as Twitch would (a raid by `viewer`'s channel, bits from `viewer`, a redemption of
        the reward titled `reward` with `message` as its text...). Raises TransportError with a readable reason."""
        channel = normalize_login(channel)
        if channel not in self.joined:
            raise TransportError(f'#{channel} is not joined')
        if event_kind not in SIMULATED:
            raise TransportError(f'the simulator reports one of {", ".join(SIMULATED)}')
        if (event_kind == REDEMPTION) != bool(reward.strip()) or len(reward) > 45:
            raise TransportError('a redemption names its reward (1-45 characters); other events none')
        viewer = viewer.strip()
        if not viewer or len(viewer) > MAX_VIEWER_NAME or not 0 <= amount <= 1_000_000 or not 0 <= months <= 1000:
            raise TransportError(f'the viewer name must be 1-{MAX_VIEWER_NAME} characters, the amount 0-1000000 and '
                                 'the months 0-1000')
        event = ChannelEvent(channel, event_kind, f'sim-{uuid.uuid4()}', viewer, self.clock.now(),
                             user_id=f'sim-{viewer.lower()}'[:32], user_login=viewer.lower(), amount=amount,
                             months=months, tier=tier, message=message[:MAX_MESSAGE], reward_title=reward.strip(),
                             reward_id=f'sim-{reward}'[:64] if reward else '')
        self.announce(event)
        return event

    def post_as_viewer(self, channel: str, viewer: str, text: str, badges: frozenset[str] = frozenset(),
                       emotes: tuple[str, ...] = ()) -> ChatLine:
        """Post a line into a joined channel as a viewer (with Twitch badges such as 'subscriber' or 'moderator',
        and the words Twitch would mark as emotes). Raises TransportError with a readable reason."""
        channel = normalize_login(channel)
        if channel not in self.joined:
            raise TransportError(f'#{channel} is not joined')
        viewer = viewer.strip()
        if not viewer or len(viewer) > MAX_VIEWER_NAME:
            raise TransportError(f'the viewer name must be 1-{MAX_VIEWER_NAME} characters')
        text = text.strip()
        if not text or len(text) > MAX_MESSAGE:
            raise TransportError(f'the message must be 1-{MAX_MESSAGE} characters')
        line = replace(self._line(channel, viewer, f'sim-{viewer.lower()}', text, is_bot=False), badges=badges,
                       is_moderator=not badges.isdisjoint({'moderator', 'broadcaster'}),
                       emotes=tuple(word for word in text.split() if word in set(emotes)))
        self.deliver(line)
        return line

    def _line(self, channel: str, author: str, author_id: str, text: str, *, is_bot: bool) -> ChatLine:
        return ChatLine(channel=channel, message_id=str(uuid.uuid4()), author=author, author_id=author_id[:32],
                        text=text, sent_at=self.clock.now(), is_bot=is_bot)
