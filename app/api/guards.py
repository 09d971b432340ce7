"""The API's two gates: the caller is the admin (token or dashboard session), and Byte has started."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from fastapi import Request

from app.api.errors import ApiError
from app.auth import has_admin_session, request_token
from runtime.credentials import Credentials

if TYPE_CHECKING:
    from app.system import System


def admin_guard(credentials: Credentials) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency: the request carries the admin token, or comes from a logged-in dashboard."""

    async def require_admin(request: Request) -> None:
        token = request_token(request)
        if token is not None:
            if not credentials.verify_admin(token):
                raise ApiError(403, 'forbidden', 'the admin token is not valid')
            return
        if not has_admin_session(credentials):
            raise ApiError(401, 'unauthorized', 'send the admin token as "Authorization: Bearer <token>"')

    return require_admin


def ready_guard(system: System) -> Callable[[], Awaitable[None]]:
    """A FastAPI dependency: the owners are started (not starting, not shutting down)."""

    async def require_ready() -> None:
        if not system.is_ready:
            raise ApiError(503, 'not_ready', f'Byte is {system.status.state}; try again in a moment')

    return require_ready
