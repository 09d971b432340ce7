"""A started fake Twitch with a bot account, two streamers and a viewer, and a Byte System pointed at it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.system import System
from tests.conftest import make_settings
from tests.fakes.twitch import FakeTwitch, FakeUser
from tests.fakes.twitch.state import FakeToken

BOT_SCOPES = ['user:read:chat', 'user:write:chat', 'user:bot', 'chat:read', 'chat:edit', 'clips:edit',
              'moderator:manage:chat_messages', 'moderator:manage:banned_users', 'moderation:read',
              'moderator:read:followers', 'moderator:manage:shoutouts', 'channel:read:hype_train',
              'channel:manage:redemptions', 'moderator:manage:automod', 'moderator:manage:blocked_terms']


@dataclass
class TwitchWorld:
    fake: FakeTwitch
    bot: FakeUser
    alpha: FakeUser
    beta: FakeUser
    viewer: FakeUser
    token: FakeToken

    def settings(self, tmp_path: Path, **overrides: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            'twitch_client_id': self.fake.state.client_id, 'twitch_client_secret': self.fake.state.client_secret,
            'twitch_access_token': self.token.access, 'twitch_refresh_token': self.token.refresh,
            'twitch_channels': f'{self.alpha.login} {self.beta.login}', **self.fake.endpoint_settings(),
        }
        values.update(overrides)
        return values


@asynccontextmanager
async def twitch_world(token_lifetime: float = 14_400.0, keepalive_seconds: float = 10.0) -> AsyncIterator[TwitchWorld]:
    fake = await FakeTwitch(keepalive_seconds=keepalive_seconds).start()
    state = fake.state
    bot, alpha = state.add_user('byte_bot', '1001'), state.add_user('alpha_streamer', '2001')
    beta, viewer = state.add_user('beta_streamer', '2002'), state.add_user('viewer_one', '3001')
    token = state.issue_token(bot.id, BOT_SCOPES, lifetime=token_lifetime)
    try:
        yield TwitchWorld(fake=fake, bot=bot, alpha=alpha, beta=beta, viewer=viewer, token=token)
    finally:
        await fake.stop()


@asynccontextmanager
async def byte_on(world: TwitchWorld, tmp_path: Path, **overrides: Any) -> AsyncIterator[System]:
    async with System(make_settings(tmp_path, **world.settings(tmp_path, **overrides))).running() as system:
        yield system


async def eventually(condition: Callable[[], Any], timeout: float = 15.0) -> Any:
    for _ in range(int(timeout / 0.05)):
        if result := condition():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError('condition not met in time')
