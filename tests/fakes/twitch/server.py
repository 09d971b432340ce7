"""The fake Twitch as one loopback HTTP server, run in the test's event loop or in a thread of its own."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

from aiohttp import web

from tests.fakes import serve_on_loopback
from tests.fakes.twitch.channels import add_channel_routes
from tests.fakes.twitch.clips import add_clip_routes
from tests.fakes.twitch.events import add_event_routes
from tests.fakes.twitch.eventsub import FakeEventSub
from tests.fakes.twitch.helix import add_automod_route, add_helix_routes, add_moderation_routes
from tests.fakes.twitch.irc import FakeIrc
from tests.fakes.twitch.oauth import add_oauth_routes
from tests.fakes.twitch.state import SentMessage, TwitchState


class FakeTwitch:
    def __init__(self, state: TwitchState | None = None, keepalive_seconds: float = 10.0) -> None:
        self.state = state or TwitchState()
        self.eventsub = FakeEventSub(self.state, keepalive_seconds)
        self.irc = FakeIrc(self.state)
        self.app = web.Application(middlewares=[self._outage])
        add_oauth_routes(self.app, self.state)
        add_helix_routes(self.app, self.state, self.eventsub.subscribe, self.eventsub.unsubscribe,
                         self.eventsub.list_subscriptions, self._on_sent)
        add_clip_routes(self.app, self.state)
        add_moderation_routes(self.app, self.state)
        add_automod_route(self.app, self.state)
        add_channel_routes(self.app, self.state)
        add_event_routes(self.app, self.state)
        self.app.router.add_get('/eventsub', self.eventsub.handle)
        self.app.router.add_get('/irc', self.irc.handle)
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None

    @web.middleware
    async def _outage(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if self.state.is_down:
            return web.json_response({'error': 'Service Unavailable', 'status': 503, 'message': ''}, status=503)
        response: web.StreamResponse = await handler(request)
        return response

    @property
    def base(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    def endpoint_settings(self) -> dict[str, str]:
        """The BYTE_TWITCH_* URL settings that point Byte at this fake."""
        return {'twitch_helix_url': f'{self.base}/helix/', 'twitch_id_url': f'{self.base}/',
                'twitch_eventsub_url': f'ws://127.0.0.1:{self.port}/eventsub',
                'twitch_irc_url': f'ws://127.0.0.1:{self.port}/irc'}

    async def start(self) -> FakeTwitch:
        self._runner, self.port = await serve_on_loopback(self.app)
        self.eventsub.base_ws_url = f'ws://127.0.0.1:{self.port}/eventsub'
        return self

    async def stop(self) -> None:
        if self._runner:
            await self.eventsub.drop_all()
            await self.irc.drop_all()
            await self._runner.cleanup()

    def start_in_thread(self) -> FakeTwitch:
        """For a Byte running in another process: serve from a background thread with its own loop."""
        ready = threading.Event()

        def serve() -> None:
            self._thread_loop = asyncio.new_event_loop()
            self._thread_loop.run_until_complete(self.start())
            ready.set()
            self._thread_loop.run_forever()

        threading.Thread(target=serve, daemon=True, name='fake-twitch').start()
        ready.wait(10)
        return self

    def call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        """Run a coroutine on the fake's thread loop and wait for its result."""
        assert self._thread_loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._thread_loop).result(10)

    async def _on_sent(self, message: SentMessage, message_id: str) -> None:
        """Twitch echoes the bot's own chat messages to channel.chat.message subscribers."""
        if message.channel_id in self.state.users and message.sender_id in self.state.users:
            await self.eventsub.push_chat(message.channel_id, message.sender_id, message.text, message_id)

    def sent_to(self, channel_id: str) -> list[SentMessage]:
        return [message for message in self.state.sent if message.channel_id == channel_id]
