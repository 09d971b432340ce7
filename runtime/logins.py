"""Twitch channel logins: one normalisation and one validation rule, whatever the source."""

from __future__ import annotations

import re

LOGIN_PATTERN = re.compile(r'^[a-z0-9_]{3,25}$')


class InvalidLogin(ValueError):
    """A channel name that is not a valid Twitch login."""


def normalize_login(raw: str) -> str:
    """Trim, drop a leading '#' or '@', lowercase, and check Twitch's login pattern."""
    login = raw.strip().lstrip('#@').lower()
    if not LOGIN_PATTERN.fullmatch(login):
        raise InvalidLogin(f'"{raw.strip()[:40]}" is not a Twitch login (3-25 letters, digits or _)')
    return login


def parse_login_list(raw: str) -> list[str]:
    """Split on commas and whitespace, normalise each entry and drop duplicates, keeping order.

    An invalid entry is an error rather than silently dropped: a typo in the channel list should be seen.
    """
    logins: list[str] = []
    for part in re.split(r'[,\s]+', raw):
        if part.strip():
            login = normalize_login(part)
            if login not in logins:
                logins.append(login)
    return logins
