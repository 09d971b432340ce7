"""The HTTP API: thin adapters over the owners' methods (the same ones the dashboard calls)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel, ConfigDict, Field
from starlette.routing import BaseRoute

from app.api.answers import (
    ERROR_RESPONSES,
    ChannelAnswer,
    ChannelsAnswer,
    ChatLinesAnswer,
    HealthAnswer,
    HudItemAnswer,
    NotesAnswer,
    OverlayAnswer,
    PartAnswer,
    PostedAnswer,
)
from app.api.brain_routes import add_brain_routes
from app.api.channel_control_routes import add_channel_control_route, add_directives_routes
from app.api.clip_routes import add_clip_routes
from app.api.control_routes import add_control_routes
from app.api.errors import ApiError
from app.api.guards import admin_guard, ready_guard
from app.api.joined import joined_channel
from app.api.observability_routes import add_observability_routes
from app.api.openapi import add_openapi_route
from app.api.safety_routes import add_safety_routes
from app.api.settings_routes import add_settings_routes
from runtime.channels import ChannelRuntime
from runtime.logins import InvalidLogin
from runtime.transports.base import TransportError

if TYPE_CHECKING:
    from app.system import System


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


def channel_json(runtime: ChannelRuntime) -> dict[str, Any]:
    return {'login': runtime.login, 'is_paused': runtime.is_paused, 'has_notes': bool(runtime.notes),
            'recent_lines': len(runtime.recent)}


def add_api(app: FastAPI, system: System) -> None:
    """Byte's API routes join the app's own route list instead of being included as a router: FastAPI builds an
    included router's routes (their dependencies and response models) again when it is included and once more on
    the first request, about 0.45 s of a 2 s start on a 2-core machine. A route an APIRouter makes already carries
    its full path and its router's dependencies, so added this way each is built once."""
    app.router.routes.extend(build_api(system))


def build_api(system: System) -> list[BaseRoute]:
    """Every route is `async def`: owners are only touched on the event loop, never from FastAPI's thread pool."""
    open_router = APIRouter(prefix='/api', responses=ERROR_RESPONSES)
    admin = APIRouter(prefix='/api', dependencies=[Depends(admin_guard(system.credentials)),
                                                   Depends(ready_guard(system))],
                      responses=ERROR_RESPONSES)

    @open_router.get('/health', response_model=HealthAnswer)
    async def health() -> dict[str, Any]:
        return {
            'ok': system.status.state == 'ready', 'status': system.status.state, 'reason': system.status.reason,
            'version': system.version,
            'database': {'backend': system.database.backend, 'reachable': system.database.is_reachable},
            'transport': {'name': system.transport.status.name, 'state': system.transport.status.state},
        }

    add_channel_routes(admin, system)
    add_stream_routes(admin, system)
    add_brain_routes(admin, system)
    add_control_routes(admin, open_router, system)
    add_observability_routes(admin, system)
    add_clip_routes(admin, system)
    add_openapi_route(admin)
    add_settings_routes(admin, system)
    add_directives_routes(admin, system)
    add_channel_control_route(admin, system)
    add_safety_routes(admin, system)

    @open_router.api_route('/{path:path}', methods=['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
                           include_in_schema=False)
    async def unknown(path: str) -> None:
        raise ApiError(404, 'not_found', f'no API route /api/{path[:100]}')

    return [*admin.routes, *open_router.routes]


def add_channel_routes(admin: APIRouter, system: System) -> None:
    def joined(login: str) -> ChannelRuntime:
        return joined_channel(system, login, invalid='invalid_login')

    @admin.get('/channels', response_model=ChannelsAnswer)
    async def list_channels() -> dict[str, Any]:
        return {'ok': True, 'channels': [channel_json(runtime) for runtime in system.channels.joined()],
                'waiting': [{'login': login, 'reason': reason} for login, reason in system.channels.unjoined.items()]}

    @admin.post('/channels', status_code=201, response_model=ChannelAnswer)
    async def join_channel(body: JoinBody) -> dict[str, Any]:
        try:
            runtime = await system.channels.join(body.login, reason='api')
        except InvalidLogin as error:
            raise ApiError(400, 'invalid_login', str(error)) from None
        except TransportError as error:
            raise ApiError(502, 'transport_refused', str(error)) from None
        return {'ok': True, 'channel': channel_json(runtime)}

    @admin.delete('/channels/{login}', response_model=PartAnswer)
    async def part_channel(login: str) -> dict[str, Any]:
        runtime = joined(login)
        await system.channels.part(runtime.login, reason='api')
        return {'ok': True, 'login': runtime.login}

    @admin.get('/channels/{login}/notes', response_model=NotesAnswer)
    async def get_notes(login: str) -> dict[str, Any]:
        runtime = joined(login)
        return {'ok': True, 'login': runtime.login, 'notes': runtime.notes}

    @admin.put('/channels/{login}/notes', response_model=NotesAnswer)
    async def put_notes(login: str, body: NotesBody) -> dict[str, Any]:
        runtime = joined(login)
        try:
            notes = await system.channels.set_notes(runtime.login, body.notes, reason='api')
        except ValueError as error:
            raise ApiError(400, 'invalid_notes', str(error)) from None
        return {'ok': True, 'login': runtime.login, 'notes': notes}

    @admin.get('/channels/{login}/chat', response_model=ChatLinesAnswer)
    async def recent_chat(login: str) -> dict[str, Any]:
        lines = [{'id': line.message_id, 'author': line.author, 'text': line.text, 'is_bot': line.is_bot,
                  'sent_at': line.sent_at.isoformat()} for line in joined(login).recent]
        return {'ok': True, 'lines': lines}


def add_stream_routes(admin: APIRouter, system: System) -> None:
    @admin.post('/simulator/messages', status_code=201, response_model=PostedAnswer)
    async def post_as_viewer(body: ViewerMessageBody) -> dict[str, Any]:
        if system.simulator is None:
            raise ApiError(409, 'not_simulator', 'the chat simulator is only active when no Twitch account is used')
        try:
            line = system.simulator.post_as_viewer(body.channel, body.viewer, body.text)
        except (TransportError, InvalidLogin) as error:
            raise ApiError(400, 'invalid_message', str(error)) from None
        return {'ok': True, 'id': line.message_id}

    @admin.post('/hud/items', status_code=201, response_model=HudItemAnswer)
    async def push_hud_item(body: HudItemBody) -> dict[str, Any]:
        runtime = None
        if body.channel:
            runtime = system.channels.get(body.channel.strip().lstrip('#').lower())
            if runtime is None:
                raise ApiError(404, 'channel_not_joined', f'#{body.channel} is not joined')
        try:
            entry = await system.hud.push(body.text, source=body.source, ttl_seconds=body.ttl_seconds,
                                          channel=runtime.login if runtime else None,
                                          channel_id=runtime.channel_id if runtime else None)
        except ValueError as error:
            raise ApiError(400, 'invalid_hud_item', str(error)) from None
        return {'ok': True, 'id': entry.id, 'text': entry.text, 'expires_at': entry.expires_at.isoformat()}

    @admin.get('/overlay', response_model=OverlayAnswer)
    async def overlay() -> dict[str, Any]:
        return {'ok': True, 'overlay_path': f'/hud?key={system.credentials.overlay_key}'}

    @admin.post('/overlay-key/rotate', response_model=OverlayAnswer)
    async def rotate_overlay_key() -> dict[str, Any]:
        await system.credentials.rotate_overlay_key(reason='api')
        return {'ok': True, 'overlay_path': f'/hud?key={system.credentials.overlay_key}'}
