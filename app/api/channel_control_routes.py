"""A channel's directives (the Channel tab's style and stream facts) and the earlier Byte Bot's
`POST /api/channel-control` (list, join, part; pause and resume too), over HTTP, through the same owner methods
as the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from app.api.errors import ApiError
from app.api.joined import joined_channel
from runtime.channels import MAX_STYLE, ChannelRuntime
from runtime.logins import InvalidLogin, normalize_login
from runtime.owner_commands import parse_command
from runtime.transports.base import TransportError

if TYPE_CHECKING:
    from app.system import System

CONTROL_ACTIONS = ('list', 'join', 'part', 'pause', 'resume')


class Body(BaseModel):
    model_config = ConfigDict(extra='forbid')


class Answer(BaseModel):
    ok: Literal[True] = True


class DirectivesBody(Body):
    channel_id: str = Field(min_length=1, max_length=40)
    style_profile: str | None = Field(default=None, max_length=MAX_STYLE)  # omitted: keep the stored value
    allow_links: StrictBool | None = None
    game: str | None = Field(default=None, max_length=200)
    topic: str | None = Field(default=None, max_length=200)
    vibe: str | None = Field(default=None, max_length=100)


class ChannelControlBody(Body):
    action: str | None = Field(default=None, min_length=1, max_length=20)
    channel: str | None = Field(default=None, min_length=1, max_length=40)
    command: str | None = Field(default=None, min_length=1, max_length=100)  # "join x", as typed in chat


class DirectivesJson(BaseModel):
    channel_id: str
    style_profile: str
    allow_links: bool
    game: str
    topic: str
    vibe: str


class DirectivesAnswer(Answer):
    mode: str
    directives: DirectivesJson


class ChannelControlAnswer(Answer):
    action: str
    channel: str | None
    channels: list[str]
    message: str
    mode: str


def directives_json(runtime: ChannelRuntime) -> DirectivesJson:
    return DirectivesJson(channel_id=runtime.login, style_profile=runtime.style_profile,
                          allow_links=runtime.allow_links, game=runtime.current_game,
                          topic=runtime.observability.get('topic', ''), vibe=runtime.vibe)


def add_directives_routes(admin: APIRouter, system: System) -> None:
    @admin.get('/channel-directives', response_model=DirectivesAnswer)
    async def get_directives(channel: str | None = None) -> DirectivesAnswer:
        runtime = joined_channel(system, channel)
        return DirectivesAnswer(mode=system.transport.status.name, directives=directives_json(runtime))

    @admin.put('/channel-directives', response_model=DirectivesAnswer)
    async def put_directives(body: DirectivesBody) -> DirectivesAnswer:
        runtime = joined_channel(system, body.channel_id)
        channels, login = system.channels, runtime.login
        try:
            if body.style_profile is not None or body.allow_links is not None:
                style = runtime.style_profile if body.style_profile is None else body.style_profile
                links = runtime.allow_links if body.allow_links is None else body.allow_links
                await channels.set_style(login, style, links, reason='api')
            if body.game is not None or body.topic is not None or body.vibe is not None:
                current = directives_json(runtime)
                await channels.set_stream_facts(login, current.game if body.game is None else body.game,
                                                current.topic if body.topic is None else body.topic,
                                                current.vibe if body.vibe is None else body.vibe, reason='api')
        except ValueError as error:
            raise ApiError(400, 'invalid_request', str(error)) from None
        except KeyError:  # parted while the request ran
            raise ApiError(404, 'channel_not_joined', f'#{login} is not joined') from None
        return DirectivesAnswer(mode=system.transport.status.name, directives=directives_json(runtime))


def control_request(body: ChannelControlBody) -> tuple[str, str]:
    """(action, channel) from `{action, channel}` or from a chat-style `{command}`; 400 when neither makes sense."""
    if body.command is not None:
        if body.action is not None or body.channel is not None:
            raise ApiError(400, 'invalid_request', 'send either command, or action (and channel)')
        parsed = parse_command(body.command)
        if parsed is None or parsed[0] not in CONTROL_ACTIONS:
            raise ApiError(400, 'invalid_command', 'use "list", "join <channel>" or "part <channel>"')
        return parsed
    action = (body.action or '').strip().lower()
    if action not in CONTROL_ACTIONS:
        raise ApiError(400, 'invalid_action', f'action must be one of {", ".join(CONTROL_ACTIONS)}')
    return action, body.channel or ''


def add_channel_control_route(admin: APIRouter, system: System) -> None:
    async def run(action: str, login: str) -> str:
        channels = system.channels
        if action == 'join':
            was_joined = channels.get(login) is not None
            await channels.join(login, reason='api channel-control')
            return f'Already in #{login}.' if was_joined else f'Joined #{login}.'
        if action == 'part':
            if not await channels.part(login, reason='api channel-control'):
                raise ApiError(404, 'channel_not_joined', f'#{login} is not joined')
            return f'Left #{login}.'
        if channels.get(login) is None:
            raise ApiError(404, 'channel_not_joined', f'#{login} is not joined')
        await channels.set_paused(login, action == 'pause', reason='api channel-control')
        return f'Byte is paused in #{login}: it reads chat and sends nothing.' if action == 'pause' else \
            f'Byte speaks again in #{login}.'

    @admin.post('/channel-control', response_model=ChannelControlAnswer)
    async def channel_control(body: ChannelControlBody) -> ChannelControlAnswer:
        action, channel = control_request(body)
        login: str | None = None
        if action == 'list':
            message = 'Channels: ' + (', '.join(f'#{runtime.login}' for runtime in system.channels.joined()) or
                                      'none')
        else:
            if not channel:
                raise ApiError(400, 'missing_channel', f'{action} needs a channel')
            try:
                login = normalize_login(channel)
                message = await run(action, login)
            except InvalidLogin as error:
                raise ApiError(400, 'invalid_login', str(error)) from None
            except TransportError as error:
                raise ApiError(502, 'transport_refused', str(error)) from None
        return ChannelControlAnswer(action=action, channel=login, channels=[
            runtime.login for runtime in system.channels.joined()], message=message, mode=system.transport.status.name)
