"""Twitch AutoMod as a pre-check (Helix: Check AutoMod Status), for channels that switched it on.

Twitch answers it only with the broadcaster's own token carrying `moderation:read`: the connected account's in its
own channel, or one the broadcaster granted on the Safety tab (runtime.twitch.broadcaster_grants). Twitch limits
it per channel by the channel's kind: 5 a minute and 50 an hour for most channels, 10 and 100 for affiliates, 30
and 300 for partners. Byte keeps its own count under those limits (and obeys a 429): when the budget is spent, or
Twitch cannot be asked, the text goes on with the local gate's verdict alone, and the budget and the last reason
are shown on the Safety tab.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from runtime.clock import Clock
from runtime.twitch.account import TwitchAccount
from runtime.twitch.broadcaster_grants import BroadcasterGrants

log = logging.getLogger(__name__)

SCOPE = 'moderation:read'
LIMITS = {'partner': (30, 300), 'affiliate': (10, 100), '': (5, 50)}  # per minute, per hour, by broadcaster type


@dataclass
class AutoModBudget:
    tier: str = ''
    minute: deque[float] = field(default_factory=deque)
    hour: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0  # after a 429
    checked: int = 0
    flagged: int = 0
    skipped: int = 0
    last_reason: str = ''  # why the last text was not checked

    def limits(self) -> tuple[int, int]:
        return LIMITS.get(self.tier, LIMITS[''])

    def used(self, now: float) -> tuple[int, int]:
        for window, seconds in ((self.minute, 60.0), (self.hour, 3600.0)):
            while window and window[0] <= now - seconds:
                window.popleft()
        return len(self.minute), len(self.hour)


class AutoModCheck:
    def __init__(self, account: TwitchAccount, grants: BroadcasterGrants, helix_url: str, clock: Clock,
                 broadcaster_id: Callable[[str], str | None]) -> None:
        self.account = account
        self.grants = grants
        self.helix_url = helix_url
        self.clock = clock
        self.broadcaster_id = broadcaster_id  # login -> the channel's Twitch user id
        self.budgets: dict[str, AutoModBudget] = {}
        self._next_id = 0

    @property
    def client_id(self) -> str | None:
        return self.account.registration.client_id

    def unavailable_reason(self, channel: str) -> str | None:
        """Why AutoMod cannot be asked about this channel, or None."""
        if not self.client_id:
            return "no Twitch application is set up (its client id goes in Settings)"
        broadcaster = self.broadcaster_id(channel)
        if not broadcaster:
            return f'the Twitch id of #{channel} is not known yet'
        if self.grants.granted_by(broadcaster):
            return None
        token = self.account.token
        if token is not None and self.account.is_connected and token.user_id == broadcaster:
            if SCOPE not in token.scopes.split():
                return f'the Twitch authorisation lacks {SCOPE}: connect the account again in Settings'
            return None
        return (f'the broadcaster of #{channel} has not authorised the AutoMod check (Safety tab: "Authorise '
                'as the broadcaster", logged in as the broadcaster)')

    async def _credentials(self, channel: str) -> tuple[str, str] | None:
        """(broadcaster id, access token) to ask AutoMod with."""
        broadcaster = self.broadcaster_id(channel) or ''
        if self.grants.granted_by(broadcaster):
            access = await self.grants.access_token(broadcaster)
            return (broadcaster, access) if access else None
        token = self.account.token
        return (broadcaster, token.access_token) if token is not None else None

    def budget(self, channel: str) -> AutoModBudget:
        return self.budgets.setdefault(channel, AutoModBudget())

    async def flag(self, channel: str, text: str) -> str | None:
        """'automod' when AutoMod would hold or block the text, else None (also when it could not be asked)."""
        budget = self.budget(channel)
        if reason := self.unavailable_reason(channel):
            return self._skip(budget, reason)
        now = self.clock.monotonic()
        per_minute, per_hour = budget.limits()
        minute, hour = budget.used(now)
        if now < budget.blocked_until or minute >= per_minute or hour >= per_hour:
            return self._skip(budget, 'budget spent')
        credentials = await self._credentials(channel)
        if credentials is None:
            return self._skip(budget, 'the broadcaster\'s authorisation is gone: authorise AutoMod again')
        broadcaster, access = credentials
        headers = {'Client-Id': self.client_id or '', 'Authorization': f'Bearer {access}'}
        self._next_id += 1
        try:
            async with httpx.AsyncClient(base_url=self.helix_url, timeout=5.0, headers=headers) as client:
                if not budget.checked and not budget.tier:
                    budget.tier = await _broadcaster_type(client, broadcaster)
                budget.minute.append(now)
                budget.hour.append(now)
                response = await client.post('moderation/enforcements/status', params={'broadcaster_id': broadcaster},
                                             json={'data': [{'msg_id': str(self._next_id), 'msg_text': text}]})
        except httpx.HTTPError as error:
            return self._skip(budget, f'Twitch did not answer ({type(error).__name__})')
        if response.status_code == 429:
            reset = response.headers.get('Ratelimit-Reset', '')
            budget.blocked_until = now + 60.0 if not reset.isdigit() else now + max(1.0, float(reset) - time.time())
            return self._skip(budget, 'Twitch says the AutoMod budget is spent')
        if response.status_code != 200:
            return self._skip(budget, f'Twitch answered {response.status_code}')
        budget.checked += 1
        budget.last_reason = ''
        results = response.json().get('data') or [{}]
        if results[0].get('is_permitted', True):
            return None
        budget.flagged += 1
        return 'automod'

    @staticmethod
    def _skip(budget: AutoModBudget, reason: str) -> None:
        budget.skipped += 1
        if budget.last_reason != reason:
            log.info('AutoMod pre-check skipped: %s', reason)
        budget.last_reason = reason


async def _broadcaster_type(client: httpx.AsyncClient, user_id: str) -> str:
    try:
        response = await client.get('users', params={'id': user_id})
        data = response.json().get('data') or [{}]
        return str(data[0].get('broadcaster_type') or '')
    except (httpx.HTTPError, ValueError):
        return ''
