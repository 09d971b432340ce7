"""Byte's own channel routes (list, join, part, notes, recent chat) and the stream helpers (the simulator's viewer
messages, HUD items, the overlay's address)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import (
    ChannelAnswer,
    ChannelsAnswer,
    ChatLinesAnswer,
    HudItemAnswer,
    NotesAnswer,
    OverlayAnswer,
    PartAnswer,
    PostedAnswer,
)
from app.api.deps import JoinedLogin, SystemDep, admin_router, joined_channel
from app.api.errors import ApiError
from runtime.channels import ChannelRuntime
from runtime.logins import InvalidLogin
from runtime.transports.base import TransportError

if TYPE_CHECKING:
    from app.system import System

router = admin_router('channels')
stream_router = admin_router('stream')


class Body(BaseModel):
    model_config = ConfigDict(extra='forbid', str_max_length=4000)


class JoinBody(Body):
    login: str = Field(min_length=1, max_length=40)


class NotesBody(Body):
    notes: str = Field(max_length=4000)


class ViewerMessageBody(Body):
    channel: str = Field(min_length=1, max_length=40)
    viewer: str = Field(min_length=1, max_length=25)
    text: str = Field(min_length=1, max_length=500)


class HudItemBody(Body):
    text: str = Field(min_length=1, max_length=1000)
    channel: str | None = Field(default=None, max_length=40)
    source: str = Field(default='api', max_length=40)
    ttl_seconds: float = Field(default=600, ge=1, le=86_400)
    audience: Literal['streamer', 'viewers'] = 'streamer'  # 'viewers': shown on the public overlay too


def channel_json(runtime: ChannelRuntime) -> dict[str, Any]:
    return {'login': runtime.login, 'is_paused': runtime.is_paused, 'has_notes': bool(runtime.notes),
            'recent_lines': len(runtime.recent)}


@router.get('/channels', response_model=ChannelsAnswer)
async def list_channels(system: SystemDep) -> dict[str, Any]:
    return {'ok': True, 'channels': [channel_json(runtime) for runtime in system.channels.joined()],
            'waiting': [{'login': login, 'reason': reason} for login, reason in system.channels.unjoined.items()]}


@router.post('/channels', status_code=201, response_model=ChannelAnswer)
async def join_channel(system: SystemDep, body: JoinBody) -> dict[str, Any]:
    try:
        runtime = await system.channels.join(body.login, reason='api')
    except InvalidLogin as error:
        raise ApiError(400, 'invalid_login', str(error)) from None
    except TransportError as error:
        raise ApiError(502, 'transport_refused', str(error)) from None
    return {'ok': True, 'channel': channel_json(runtime)}


@router.delete('/channels/{login}', response_model=PartAnswer)
async def part_channel(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    await system.channels.part(runtime.login, reason='api')
    return {'ok': True, 'login': runtime.login}


@router.get('/channels/{login}/notes', response_model=NotesAnswer)
async def get_notes(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    return {'ok': True, 'login': runtime.login, 'notes': runtime.notes}


@router.put('/channels/{login}/notes', response_model=NotesAnswer)
async def put_notes(system: SystemDep, runtime: JoinedLogin, body: NotesBody) -> dict[str, Any]:
    try:
        notes = await system.channels.set_notes(runtime.login, body.notes, reason='api')
    except ValueError as error:
        raise ApiError(400, 'invalid_notes', str(error)) from None
    return {'ok': True, 'login': runtime.login, 'notes': notes}


@router.get('/channels/{login}/chat', response_model=ChatLinesAnswer)
async def recent_chat(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    lines = [{'id': line.message_id, 'author': line.author, 'text': line.text, 'is_bot': line.is_bot,
              'sent_at': line.sent_at.isoformat()} for line in runtime.recent]
    return {'ok': True, 'lines': lines}


@stream_router.post('/simulator/messages', status_code=201, response_model=PostedAnswer)
async def post_as_viewer(system: SystemDep, body: ViewerMessageBody) -> dict[str, Any]:
    if system.simulator is None:
        raise ApiError(409, 'not_simulator', 'the chat simulator is only active when no Twitch account is used')
    try:
        line = system.simulator.post_as_viewer(body.channel, body.viewer, body.text)
    except (TransportError, InvalidLogin) as error:
        raise ApiError(400, 'invalid_message', str(error)) from None
    return {'ok': True, 'id': line.message_id}


@stream_router.post('/hud/items', status_code=201, response_model=HudItemAnswer)
async def push_hud_item(system: SystemDep, body: HudItemBody) -> dict[str, Any]:
    runtime = joined_channel(system, body.channel) if body.channel else None
    try:
        entry = await system.hud.push(body.text, source=body.source, ttl_seconds=body.ttl_seconds,
                                      channel=runtime.login if runtime else None,
                                      channel_id=runtime.channel_id if runtime else None, audience=body.audience)
    except ValueError as error:
        raise ApiError(400, 'invalid_hud_item', str(error)) from None
    return {'ok': True, 'id': entry.id, 'text': entry.text, 'audience': entry.audience,
            'expires_at': entry.expires_at.isoformat()}


def overlay_paths(system: System) -> dict[str, Any]:
    key = system.credentials.overlay_key
    return {'ok': True, 'overlay_path': f'/hud?key={key}', 'streamer_overlay_path': f'/hud/streamer?key={key}'}


@stream_router.get('/overlay', response_model=OverlayAnswer)
async def overlay(system: SystemDep) -> dict[str, Any]:
    return overlay_paths(system)


@stream_router.post('/overlay-key/rotate', response_model=OverlayAnswer)
async def rotate_overlay_key(system: SystemDep) -> dict[str, Any]:
    await system.credentials.rotate_overlay_key(reason='api')
    return overlay_paths(system)
