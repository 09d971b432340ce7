"""Twitch AutoMod as a pre-check (Helix: Check AutoMod Status), for channels that switched it on.

Twitch answers it only with the broadcaster's own token carrying `moderation:read`, so it works where the
connected account is the channel's broadcaster. Twitch limits it per channel by the channel's kind: 5 a minute and
50 an hour for most channels, 10 and 100 for affiliates, 30 and 300 for partners. Byte keeps its own count under
those limits (and obeys a 429): when the budget is spent, or Twitch cannot be asked, the text goes on with the
local gate's verdict alone, and the budget and the last reason are shown on the Safety tab.
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
    def __init__(self, account: TwitchAccount, helix_url: str, client_id: str | None, clock: Clock,
                 broadcaster_id: Callable[[str], str | None]) -> None:
        self.account = account
        self.helix_url = helix_url
        self.client_id = client_id
        self.clock = clock
        self.broadcaster_id = broadcaster_id  # login -> the channel's Twitch user id
        self.budgets: dict[str, AutoModBudget] = {}
        self._next_id = 0

    def unavailable_reason(self, channel: str) -> str | None:
        """Why AutoMod cannot be asked about this channel, or None."""
        token = self.account.token
        if not self.client_id or token is None or not self.account.is_connected:
            return 'no Twitch account is connected'
        if SCOPE not in token.scopes.split():
            return f'the Twitch authorisation lacks {SCOPE}: connect the account again in Settings'
        if self.broadcaster_id(channel) != token.user_id:
            return f'only the broadcaster\'s own account can ask AutoMod ({token.login} is not #{channel})'
        return None

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
        token = self.account.token
        assert token is not None
        headers = {'Client-Id': self.client_id or '', 'Authorization': f'Bearer {token.access_token}'}
        self._next_id += 1
        try:
            async with httpx.AsyncClient(base_url=self.helix_url, timeout=5.0, headers=headers) as client:
                if not budget.checked and not budget.tier:
                    budget.tier = await _broadcaster_type(client, token.user_id)
                budget.minute.append(now)
                budget.hour.append(now)
                response = await client.post('moderation/enforcements/status', params={'broadcaster_id': token.user_id},
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
