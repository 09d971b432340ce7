"""What the fake Twitch knows: users, apps, tokens, subscriptions, and the log of sent chat messages."""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field


@dataclass
class FakeUser:
    id: str
    login: str
    display_name: str = ''


@dataclass
class FakeToken:
    access: str
    refresh: str
    client_id: str
    user_id: str | None  # None: an app access token
    scopes: list[str]
    expires_at: float
    is_revoked: bool = False  # the access token no longer works
    is_grant_revoked: bool = False  # the refresh token no longer works either (the user disconnected the app)


@dataclass
class ClipScript:
    """How the fake's clip endpoints behave, for the scenarios a test sets up."""

    polls_before_ready: int = 0  # Get Clips does not return a new clip for this many looks
    never_ready: bool = False  # creation is accepted but the clip never appears
    create_failures: list[tuple[int, str]] = field(default_factory=list)  # answered, in order, to the next creates
    rate_limit_reset_in: int = 1  # a 429's Ratelimit-Reset, in seconds from now
    hold_create: asyncio.Event | None = None  # a creation is registered at once but answered only once this is set
    drop_creates: int = 0  # creations registered, then the connection closed without an answer
    find_failures: int = 0  # Get Clips answers 500 this many times
    create_calls: int = 0
    looks: dict[str, int] = field(default_factory=dict)  # clip id -> times Get Clips was asked about it


@dataclass(frozen=True)
class SentMessage:
    at: float  # the fake's clock
    channel_id: str
    sender_id: str
    text: str
    reply_to: str | None
    via: str  # 'helix' or 'irc'


@dataclass
class DeviceGrant:
    device_code: str
    user_code: str
    client_id: str
    scopes: list[str]
    approved_for: str | None = None  # user id once the user approved the code


@dataclass
class TwitchState:
    client_id: str = 'fake-client-id'
    client_secret: str = 'fake-client-secret'
    is_down: bool = False  # an outage: every request (the sockets too) is answered 503
    users: dict[str, FakeUser] = field(default_factory=dict)
    tokens: dict[str, FakeToken] = field(default_factory=dict)
    devices: dict[str, DeviceGrant] = field(default_factory=dict)
    moderators: dict[str, set[str]] = field(default_factory=dict)  # channel id -> moderator user ids
    sent: list[SentMessage] = field(default_factory=list)
    chat_messages: dict[str, str] = field(default_factory=dict)  # message id -> channel id (what a reply may name)
    automod_terms: dict[str, set[str]] = field(default_factory=dict)  # channel id -> terms AutoMod holds
    automod_calls: dict[str, list[float]] = field(default_factory=dict)  # channel id -> times it was asked
    clips: dict[str, dict] = field(default_factory=dict)  # clip id -> Get Clips data
    clip_script: ClipScript = field(default_factory=ClipScript)
    moderation: list[tuple[str, str, str | None]] = field(default_factory=list)  # (action, channel id, target)
    live: dict[str, str] = field(default_factory=dict)  # login on air -> stream started_at (RFC 3339)
    channel_info: dict[str, tuple[str, str]] = field(default_factory=dict)  # channel id -> (game, title)
    follows: dict[str, dict[str, str]] = field(default_factory=dict)  # channel id -> user id -> followed_at
    shoutouts: list[tuple[float, str, str]] = field(default_factory=list)  # (when, from channel id, to channel id)
    rewards: dict[str, dict] = field(default_factory=dict)  # custom reward id -> the reward, with the app that made it
    redemptions: dict[str, dict] = field(default_factory=dict)  # redemption id -> its event (status kept current)
    blocked_terms: dict[str, list[dict]] = field(default_factory=dict)  # channel id -> its blocked terms
    held: dict[str, str] = field(default_factory=dict)  # message id AutoMod held -> 'held', 'allow' or 'deny'
    refreshes: int = 0
    token_lifetime: float = 14_400.0
    clock: object = None  # anything with monotonic(); None means time.monotonic

    def now(self) -> float:
        return self.clock.monotonic() if self.clock is not None else time.monotonic()  # type: ignore[attr-defined]

    def add_user(self, login: str, user_id: str | None = None) -> FakeUser:
        user = FakeUser(id=user_id or str(100_000 + len(self.users)), login=login, display_name=login.capitalize())
        self.users[user.id] = user
        return user

    def user_by_login(self, login: str) -> FakeUser | None:
        return next((user for user in self.users.values() if user.login == login.lower()), None)

    def issue_token(self, user_id: str | None, scopes: list[str], lifetime: float | None = None) -> FakeToken:
        expires_at = self.now() + (lifetime or self.token_lifetime)
        token = FakeToken(access=secrets.token_hex(15), refresh=secrets.token_hex(25), client_id=self.client_id,
                          user_id=user_id, scopes=list(scopes), expires_at=expires_at)
        self.tokens[token.access] = token
        return token

    def valid_token(self, access: str) -> FakeToken | None:
        token = self.tokens.get(access)
        if token is None or token.is_revoked or token.expires_at <= self.now():
            return None
        return token

    def revoke_user(self, user_id: str) -> None:
        """The user disconnected the app on twitch.tv: every token and refresh token of theirs stops working."""
        for token in self.tokens.values():
            if token.user_id == user_id:
                token.is_revoked = token.is_grant_revoked = True

    def expire_access(self, user_id: str) -> None:
        """The user's access tokens expire; their refresh tokens still work."""
        for token in self.tokens.values():
            if token.user_id == user_id:
                token.is_revoked = True

    def is_moderator(self, channel_id: str, user_id: str) -> bool:
        return channel_id == user_id or user_id in self.moderators.get(channel_id, set())
