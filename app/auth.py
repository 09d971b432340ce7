"""Who may do what: the admin token (API header or dashboard session) and the overlay key (HUD only).

Tokens travel in headers or in the login form, never in a URL that a server or proxy would log.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import Request
from nicegui import app, ui

from runtime.credentials import Credentials

log = logging.getLogger(__name__)

SESSION_KEY = 'admin_epoch'
FAILED_LOGIN_DELAY_SECONDS = 1.0


def request_token(request: Request) -> str | None:
    """The admin token from `Authorization: Bearer ...` or `X-Byte-Admin-Token`."""
    header = request.headers.get('authorization', '')
    if header.lower().startswith('bearer '):
        return header[7:].strip()
    return request.headers.get('x-byte-admin-token')


def has_admin_session(credentials: Credentials) -> bool:
    """True when this browser logged in with the current admin token (rotating it logs everyone out)."""
    try:
        return app.storage.user.get(SESSION_KEY) == credentials.admin_epoch
    except (RuntimeError, AssertionError):  # no session middleware context (for example a bare API client)
        return False


async def log_in(credentials: Credentials, token: str) -> bool:
    return await _open_session(credentials, credentials.verify_admin(token.strip()))


async def log_in_with_ticket(credentials: Credentials, ticket: str) -> bool:
    """The one-time ticket of the window Byte opened itself (runtime.credentials); refused like a wrong token."""
    if await _open_session(credentials, credentials.redeem_login_ticket(ticket.strip())):
        log.info('the window Byte opened is logged in (its one-time ticket is used up)')
        return True
    return False


async def _open_session(credentials: Credentials, is_valid: bool) -> bool:
    if is_valid:
        app.storage.user[SESSION_KEY] = credentials.admin_epoch
        return True
    await asyncio.sleep(FAILED_LOGIN_DELAY_SECONDS)  # slows guessing; real tokens are 43 random characters
    return False


def log_out() -> None:
    app.storage.user.pop(SESSION_KEY, None)


def watch_session(credentials: Credentials, interval_seconds: float = 3.0) -> None:
    """Send an open admin page to /login once its browser logs out (in any tab) or the admin token changes."""
    storage = app.storage.user  # this browser's storage, shared by its tabs

    def check() -> None:
        if storage.get(SESSION_KEY) != credentials.admin_epoch:
            ui.navigate.to('/login')

    ui.timer(interval_seconds, check)
