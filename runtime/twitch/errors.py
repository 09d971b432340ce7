"""Describing twitchio's errors without what they carry: their text can hold request URLs whose query strings
contain the client secret and tokens, so only the status, the route's path and Twitch's own message are kept."""

from __future__ import annotations

import twitchio


def describe(error: BaseException) -> str:
    if isinstance(error, twitchio.HTTPException):
        route = getattr(error, 'route', None)
        path = str(getattr(route, 'path', '') or '').split('?')[0]
        extra = error.extra if isinstance(error.extra, dict) else {}
        message = str(extra.get('message') or '')[:120]
        return f'Twitch answered {error.status} on {path or "a request"}' + (f': {message}' if message else '')
    return type(error).__name__


def is_refused_grant(error: BaseException) -> bool:
    """Twitch refused the tokens themselves (revoked or invalid), as opposed to a passing failure."""
    if not isinstance(error, twitchio.HTTPException) or error.status not in {400, 401}:
        return False
    if isinstance(error, twitchio.InvalidTokenException):
        return True
    path = str(getattr(getattr(error, 'route', None), 'path', '') or '')
    return 'oauth2/' in path
