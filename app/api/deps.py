"""What the API's routes depend on, as FastAPI dependencies: the running System (kept on the app's state by
`add_api`), the two gates every admin route passes (the caller is the admin; Byte has started) and the joined
channel a request names."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from app.api.answers import ERROR_RESPONSES
from app.api.errors import ApiError
from app.auth import has_admin_session, request_token
from app.system import System
from runtime.channels import ChannelRuntime
from runtime.logins import InvalidLogin, normalize_login

MISSING_CHANNEL = 'the channel query parameter (or channel_id) is required'


def system_of(request: Request) -> System:
    system: System = request.app.state.system
    return system


SystemDep = Annotated[System, Depends(system_of)]


def admin_refusal(request: Request, system: System) -> ApiError | None:
    """None when the request carries the admin token or comes from a logged-in dashboard; else why not."""
    token = request_token(request)
    if token is not None:
        return None if system.credentials.verify_admin(token) else \
            ApiError(403, 'forbidden', 'the admin token is not valid')
    if has_admin_session(system.credentials):
        return None
    return ApiError(401, 'unauthorized', 'send the admin token as "Authorization: Bearer <token>"')


async def require_admin(request: Request, system: SystemDep) -> None:
    """The request carries the admin token, or comes from a logged-in dashboard."""
    if (refusal := admin_refusal(request, system)) is not None:
        raise refusal


async def require_ready(system: SystemDep) -> None:
    """The owners are started (not starting, not shutting down)."""
    if not system.is_ready:
        raise ApiError(503, 'not_ready', f'Byte is {system.status.state}; try again in a moment')


def joined_channel(system: System, channel: str | None, missing: str = MISSING_CHANNEL,
                   invalid: str = 'invalid_request') -> ChannelRuntime:
    """The joined channel a request names: 400 (`missing`) without a name, 400 (`invalid`) for a name that is no
    Twitch login, 404 when it is not joined."""
    if not channel:
        raise ApiError(400, 'invalid_request', missing)
    try:
        login = normalize_login(channel)
    except InvalidLogin as error:
        raise ApiError(400, invalid, str(error)) from None
    runtime = system.channels.get(login)
    if runtime is None:
        raise ApiError(404, 'channel_not_joined', f'#{login} is not joined')
    return runtime


def _joined_by_query(system: SystemDep, channel: str | None = None) -> ChannelRuntime:
    return joined_channel(system, channel)


def _joined_by_path(system: SystemDep, login: str) -> ChannelRuntime:
    return joined_channel(system, login, invalid='invalid_login')


JoinedChannel = Annotated[ChannelRuntime, Depends(_joined_by_query)]  # `?channel=<login>`
JoinedLogin = Annotated[ChannelRuntime, Depends(_joined_by_path)]  # `/.../{login}/...`


def admin_router(tag: str) -> APIRouter:
    """A module's router: under `/api`, for the admin only, once Byte has started."""
    return APIRouter(prefix='/api', tags=[tag], dependencies=[Depends(require_admin), Depends(require_ready)],
                     responses=ERROR_RESPONSES)


def open_router_for(tag: str) -> APIRouter:
    """A router whose routes check the caller themselves (or need no check)."""
    return APIRouter(prefix='/api', tags=[tag], responses=ERROR_RESPONSES)
