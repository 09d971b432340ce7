"""The one lookup of the joined channel a request names, for every route that takes one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.api.errors import ApiError
from runtime.channels import ChannelRuntime
from runtime.logins import InvalidLogin, normalize_login

if TYPE_CHECKING:
    from app.system import System

MISSING_CHANNEL = 'the channel query parameter (or channel_id) is required'


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
