"""Clips through twitchio on the EventSub connection's client: create_clip and fetch_clips with the bot's
token, Twitch's errors sorted into what the clip jobs do next, and the Helix rate-limit headers respected."""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiohttp
import twitchio

from runtime.clips.api import REAUTHORIZE, ClipError, CreatedClip, FoundClip
from runtime.twitch.errors import describe, is_refused_grant

if TYPE_CHECKING:
    from runtime.transports.eventsub import EventSubTransport

RATE_LIMIT_FALLBACK_SECONDS = 10.0  # a 429 without a usable Ratelimit-Reset


class HelixRateLimit:
    """The rate-limit headers of the latest Helix answer (Ratelimit-Remaining, Ratelimit-Reset in epoch
    seconds), read from every response of the client's HTTP session."""

    def __init__(self) -> None:
        self.remaining: int | None = None
        self.reset_at = 0.0

    def trace_config(self) -> aiohttp.TraceConfig:
        trace = aiohttp.TraceConfig()

        async def on_request_end(session: Any, context: Any, params: aiohttp.TraceRequestEndParams) -> None:
            self.observe(params.response.headers)

        trace.on_request_end.append(on_request_end)
        return trace

    def observe(self, headers: Any) -> None:
        remaining, reset = headers.get('Ratelimit-Remaining', ''), headers.get('Ratelimit-Reset', '')
        if remaining.isdigit():
            self.remaining = int(remaining)
        if reset.isdigit():
            self.reset_at = float(reset)

    def wait_seconds(self) -> float:
        now = time.time()
        return self.reset_at - now if self.remaining == 0 and self.reset_at > now else 0.0

    def retry_at(self) -> float:
        now = time.time()
        return self.reset_at if self.reset_at > now else now + RATE_LIMIT_FALLBACK_SECONDS


class HelixClips:
    def __init__(self, transport: EventSubTransport) -> None:
        self.transport = transport

    def wait_seconds(self) -> float:
        return self.transport.rate_limit.wait_seconds()

    async def broadcaster_id(self, login: str) -> str:
        known = self.transport.broadcaster_ids.get(login)
        if known:
            return known
        users = await self._call(self._client().fetch_users(logins=[login], token_for=self.transport.bot_id))
        if not users:
            raise ClipError('refused', f'Twitch has no channel named {login}')
        return str(users[0].id)

    async def create(self, broadcaster_id: str, title: str, duration: float) -> CreatedClip:
        client = self._client()
        token = self.transport.account.token
        if token is not None and 'clips:edit' not in token.scopes.split():
            raise ClipError('auth', f'the bot account may not make clips: {REAUTHORIZE}')
        channel = client.create_partialuser(broadcaster_id)
        # whole seconds: twitchio 3.3 cannot put a float into a query string
        created = await self._call(channel.create_clip(token_for=self.transport.bot_id, title=title or None,
                                                       duration=round(duration)), is_creation=True)
        return CreatedClip(clip_id=str(created.id), edit_url=str(created.edit_url))

    async def find(self, clip_id: str) -> FoundClip | None:
        clips = await self._call(self._client().fetch_clips(clip_ids=[clip_id], token_for=self.transport.bot_id))
        return self._found(clips[0]) if clips else None

    async def find_since(self, broadcaster_id: str, since: datetime) -> FoundClip | None:
        channel = self._client().create_partialuser(broadcaster_id)
        clips = await self._call(channel.fetch_clips(started_at=since, token_for=self.transport.bot_id,
                                                     max_results=20))
        mine = [clip for clip in clips if str(clip.creator.id) == self.transport.bot_id and clip.created_at >= since]
        return self._found(min(mine, key=lambda clip: clip.created_at)) if mine else None

    # -- internals --------------------------------------------------------------------------------------------

    def _client(self) -> twitchio.Client:
        if self.transport.account.status.state == 'reauthorize':
            raise ClipError('auth', f'the Twitch account must be authorised again: {REAUTHORIZE}')
        client = self.transport._client
        if client is None or self.transport.status.state != 'connected':
            raise ClipError('transient', 'not connected to Twitch right now')
        return client

    @staticmethod
    def _found(clip: Any) -> FoundClip:
        thumbnail = getattr(clip.thumbnail, 'url', '') or ''
        return FoundClip(clip_id=str(clip.id), url=str(clip.url), thumbnail_url=str(thumbnail))

    async def _call(self, call: Any, is_creation: bool = False) -> Any:
        try:
            return await call
        except twitchio.HTTPException as error:
            raise self._classify(error) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            # a request that was sent but got no answer may have made a clip
            lost_answer = not isinstance(error, aiohttp.ClientConnectorError)
            raise ClipError('transient', f'no answer from Twitch ({describe(error)})',
                            maybe_done=is_creation and lost_answer) from None

    def _classify(self, error: twitchio.HTTPException) -> ClipError:
        said = describe(error)
        if is_refused_grant(error):
            self.transport.reauthorize('Twitch refused to refresh the token')
            return ClipError('auth', f'{said}: {REAUTHORIZE}')
        if error.status == 429:
            return ClipError('rate_limited', said, retry_at=self.transport.rate_limit.retry_at())
        if error.status == 401:
            return ClipError('auth', f'{said}: {REAUTHORIZE}')
        if error.status >= 500:
            return ClipError('transient', said)
        return ClipError('refused', said)  # 400, 403 (clips restricted), 404 (not live)
