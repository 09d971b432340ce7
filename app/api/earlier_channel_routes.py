"""The earlier Byte Bot's channel routes, with its route names and fields, so its scripts keep working:
channel-config, agent-notes, channel-context, chat/send and channel-control (list, join, part; pause and resume
too)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from app.api.answers import AgentNotesAnswer, ChannelConfigAnswer, ChannelContextAnswer, ChatSendAnswer
from app.api.deps import JoinedChannel, SystemDep, admin_router, joined_channel
from app.api.errors import ApiError
from app.system import System
from runtime.channels import ChannelRuntime
from runtime.chat import ChatLine
from runtime.logins import InvalidLogin, normalize_login
from runtime.owner_commands import parse_command
from runtime.transports.base import TransportError

TRUE_WORDS, FALSE_WORDS = {'1', 'true', 'yes', 'on'}, {'0', 'false', 'no', 'off'}


class ChannelConfigBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    channel_id: str = Field(min_length=1, max_length=40)
    temperature: float | None = Field(default=None, ge=0, le=2)  # omitted or null: back to the model's default
    top_p: float | None = Field(default=None, ge=0, le=1)
    agent_paused: StrictBool | None = None  # omitted: keep the stored value
    # read-only fields of the GET answer, accepted (and ignored) so a GET -> edit -> PUT round trip works
    has_override: bool | None = None
    source: str | None = None
    updated_at: str | None = None

    @field_validator('agent_paused', mode='before')
    @classmethod
    def _flag(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool) and value in {0, 1}:
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            return value.strip().lower() in TRUE_WORDS
        return value


class AgentNotesBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    channel_id: str = Field(min_length=1, max_length=40)
    notes: str = Field(max_length=4000)


class ChatSendBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    channel_id: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=500)
    author: str = Field(default='api', min_length=1, max_length=25)


class ChannelControlBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    action: str | None = Field(default=None, min_length=1, max_length=20)
    channel: str | None = Field(default=None, min_length=1, max_length=40)
    channel_login: str | None = Field(default=None, min_length=1, max_length=40)  # the earlier bot's CLI's name
    command: str | None = Field(default=None, min_length=1, max_length=100)  # "join x", as typed in chat


class ChannelControlAnswer(BaseModel):
    ok: Literal[True] = True
    action: str
    channel: str | None
    channels: list[str]
    message: str
    mode: str


CONTROL_ACTIONS = ('list', 'join', 'part', 'pause', 'resume')
router = admin_router('earlier bot: channels')


def config_json(runtime: ChannelRuntime) -> dict[str, Any]:
    return {'channel_id': runtime.login, 'temperature': runtime.temperature, 'top_p': runtime.top_p,
            'agent_paused': runtime.is_paused,
            'has_override': runtime.temperature is not None or runtime.top_p is not None or runtime.is_paused,
            'source': 'database'}


def notes_json(runtime: ChannelRuntime) -> dict[str, Any]:
    return {'channel_id': runtime.login, 'notes': runtime.notes, 'has_notes': bool(runtime.notes),
            'source': 'database'}


@router.get('/channel-config', response_model=ChannelConfigAnswer)
async def get_channel_config(system: SystemDep, runtime: JoinedChannel) -> dict[str, Any]:
    return {'ok': True, 'mode': system.transport.status.name, 'channel': config_json(runtime)}


@router.put('/channel-config', response_model=ChannelConfigAnswer)
async def put_channel_config(system: SystemDep, body: ChannelConfigBody) -> dict[str, Any]:
    runtime = joined_channel(system, body.channel_id)
    await system.channels.set_tuning(runtime.login, body.temperature, body.top_p, reason='api')
    if body.agent_paused is not None:
        await system.channels.set_paused(runtime.login, body.agent_paused, reason='api')
    return {'ok': True, 'mode': system.transport.status.name, 'channel': config_json(runtime)}


@router.get('/agent-notes', response_model=AgentNotesAnswer)
async def get_agent_notes(system: SystemDep, runtime: JoinedChannel) -> dict[str, Any]:
    return {'ok': True, 'mode': system.transport.status.name, 'note': notes_json(runtime)}


@router.put('/agent-notes', response_model=AgentNotesAnswer)
async def put_agent_notes(system: SystemDep, body: AgentNotesBody) -> dict[str, Any]:
    runtime = joined_channel(system, body.channel_id)
    try:
        await system.channels.set_notes(runtime.login, body.notes, reason='api')
    except ValueError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    return {'ok': True, 'mode': system.transport.status.name, 'note': notes_json(runtime)}


@router.get('/channel-context', response_model=ChannelContextAnswer)
async def get_channel_context(system: SystemDep, runtime: JoinedChannel) -> dict[str, Any]:
    persisted = await system.context_inspector.persisted(runtime)
    return {'ok': True, 'mode': system.transport.status.name, 'channel': {
        'channel_id': runtime.login, 'runtime_loaded': True,
        'runtime': system.context_inspector.live(runtime), **persisted}}


@router.post('/chat/send', response_model=ChatSendAnswer)
async def chat_send(system: SystemDep, body: ChatSendBody) -> dict[str, Any]:
    runtime = joined_channel(system, body.channel_id)
    line = ChatLine(channel=runtime.login, message_id=f'api-{uuid.uuid4()}', author=body.author,
                    author_id=f'api-{body.author.lower()}'[:32], text=body.text, sent_at=system.clock.now(),
                    is_local=True)  # Twitch knows no such message: Byte's answer is not a reply to it
    system.pipeline.ingest(line, answered_by_caller=True)  # stored, shown and counted like any chat line
    interaction = await system.dispatcher.process(line)
    if interaction is None:
        return {'ok': True, 'route': None, 'replies': [],
                'message': f'not addressed to Byte: start with "{system.settings.trigger_word}"'}
    return {'ok': True, 'route': interaction.route, 'replies': interaction.replies,
            'outcomes': interaction.outcomes, 'blocked': interaction.blocked, 'attempted': interaction.attempted,
            'safety': interaction.safety or None}


def control_request(body: ChannelControlBody) -> tuple[str, str]:
    """(action, channel) from `{action, channel}` or from a chat-style `{command}`; 400 when neither makes sense."""
    if body.channel is not None and body.channel_login is not None and body.channel != body.channel_login:
        raise ApiError(400, 'invalid_request', 'channel and channel_login name different channels')
    channel = body.channel or body.channel_login
    if body.command is not None:
        if body.action is not None or channel is not None:
            raise ApiError(400, 'invalid_request', 'send either command, or action (and channel)')
        parsed = parse_command(body.command)
        if parsed is None or parsed[0] not in CONTROL_ACTIONS:
            raise ApiError(400, 'invalid_command', 'use "list", "join <channel>" or "part <channel>"')
        return parsed
    action = (body.action or '').strip().lower()
    if action not in CONTROL_ACTIONS:
        raise ApiError(400, 'invalid_action', f'action must be one of {", ".join(CONTROL_ACTIONS)}')
    return action, channel or ''


async def run(system: System, action: str, login: str) -> str:
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


@router.post('/channel-control', response_model=ChannelControlAnswer)
async def channel_control(system: SystemDep, body: ChannelControlBody) -> ChannelControlAnswer:
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
            message = await run(system, action, login)
        except InvalidLogin as error:
            raise ApiError(400, 'invalid_login', str(error)) from None
        except TransportError as error:
            raise ApiError(502, 'transport_refused', str(error)) from None
    return ChannelControlAnswer(action=action, channel=login, channels=[
        runtime.login for runtime in system.channels.joined()], message=message, mode=system.transport.status.name)
