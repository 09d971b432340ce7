"""The safety gate's optional remote checks, for texts a model wrote, each switched on per channel.

- A moderation model: any OpenAI-compatible `POST /moderations` endpoint (kind 'moderation'), or a guard model such
  as Llama Guard served through an OpenAI-compatible chat endpoint, Ollama's for example (kind 'guard': it answers
  "safe" or "unsafe" and a category). Bounded by a timeout. A check that cannot be made refuses the text: a streamer
  who switched the check on does not want answers that skipped it.
- Twitch AutoMod (Check AutoMod Status), see `runtime.safety.automod`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx
from nicegui.binding import bindable_dataclass

from persistence.repositories import Repositories
from runtime.safety.automod import AutoModCheck
from runtime.storage import in_database

log = logging.getLogger(__name__)

KIND, BASE_URL, MODEL, API_KEY, TIMEOUT = ('moderation_kind', 'moderation_base_url', 'moderation_model',
                                           'moderation_api_key', 'moderation_timeout')
KINDS = ('off', 'moderation', 'guard')


@dataclass
class ModerationConfig:
    kind: str = 'off'
    base_url: str = ''
    model: str = ''
    api_key: str | None = None
    timeout_seconds: float = 5.0


@bindable_dataclass
class ModerationStatus:
    state: str = 'off'  # off, unknown (no call yet), ok, unavailable
    reason: str = ''
    checked: int = 0
    flagged: int = 0


class ModerationUnavailable(Exception):
    pass


class ModerationModel:
    def __init__(self, repositories: Repositories) -> None:
        self.repositories = repositories
        self.config = ModerationConfig()
        self.status = ModerationStatus()

    async def load(self) -> None:
        get = self.repositories.settings.get
        values = {name: await in_database(get, name) for name in (KIND, BASE_URL, MODEL, TIMEOUT)}
        kind, timeout = values[KIND] or 'off', values[TIMEOUT]
        self.config = ModerationConfig(kind=kind if kind in KINDS else 'off', base_url=values[BASE_URL] or '',
                                       model=values[MODEL] or '',
                                       api_key=await in_database(self.repositories.secrets.get, API_KEY) or None,
                                       timeout_seconds=float(timeout) if timeout else 5.0)
        self.status.state = 'off' if self.config.kind == 'off' else 'unknown'

    async def save(self, kind: str, base_url: str, model: str, api_key: str | None, timeout_seconds: float,
                   reason: str) -> None:
        """Store the moderation model; `api_key=None` keeps the stored key, '' removes it."""
        if kind not in KINDS:
            raise ValueError(f'the moderation kind is one of {", ".join(KINDS)}')
        base_url, model = base_url.strip(), model.strip()
        if kind != 'off' and not base_url.startswith(('http://', 'https://')):
            raise ValueError('the moderation URL must start with http:// or https://')
        if kind == 'guard' and not model:
            raise ValueError('name the guard model (for example llama-guard3)')
        if not 0.5 <= timeout_seconds <= 30:
            raise ValueError('the timeout is between 0.5 and 30 seconds')
        settings = self.repositories.settings
        for name, value in ((KIND, kind), (BASE_URL, base_url), (MODEL, model), (TIMEOUT, str(timeout_seconds))):
            await in_database(settings.set, name, value)
        if api_key is not None:
            await in_database(self.repositories.secrets.set, API_KEY, api_key.strip())
        key = (api_key.strip() or None) if api_key is not None else self.config.api_key
        self.config = ModerationConfig(kind=kind, base_url=base_url, model=model, api_key=key,
                                       timeout_seconds=timeout_seconds)
        self.status.state, self.status.reason = ('off' if kind == 'off' else 'unknown'), ''
        log.info('moderation model set to %s (%s)', kind, reason)

    async def flag(self, text: str) -> str | None:
        """The category the model flags the text for, or None. Raises ModerationUnavailable."""
        config = self.config
        if config.kind == 'off':
            raise ModerationUnavailable('no moderation model is set up')
        headers = {'Authorization': f'Bearer {config.api_key}'} if config.api_key else {}
        base = config.base_url.rstrip('/')
        try:
            async with httpx.AsyncClient(timeout=config.timeout_seconds) as client:
                body: dict[str, object]
                if config.kind == 'moderation':
                    body = {'input': text, **({'model': config.model} if config.model else {})}
                    response = await client.post(f'{base}/moderations', json=body, headers=headers)
                else:
                    body = {'model': config.model, 'stream': False, 'messages': [
                        {'role': 'user', 'content': 'Say something to the chat.'},
                        {'role': 'assistant', 'content': text}]}
                    response = await client.post(f'{base}/chat/completions', json=body, headers=headers)
            response.raise_for_status()
            verdict = _moderation_verdict(response.json()) if config.kind == 'moderation' else \
                _guard_verdict(response.json())
        except (httpx.HTTPError, ValueError, KeyError, TypeError, IndexError) as error:
            reason = 'timed out' if isinstance(error, httpx.TimeoutException) else \
                f'{type(error).__name__}: {str(error)[:120]}'
            if self.status.state != 'unavailable':
                log.warning('moderation model unavailable: %s', reason)
            self.status.state, self.status.reason = 'unavailable', reason
            raise ModerationUnavailable(reason) from None
        self.status.state, self.status.reason = 'ok', ''
        self.status.checked += 1
        if verdict:
            self.status.flagged += 1
        return verdict


def _moderation_verdict(data: dict) -> str | None:
    result = data['results'][0]
    if not result.get('flagged'):
        return None
    categories = [name for name, is_flagged in (result.get('categories') or {}).items() if is_flagged]
    return categories[0] if categories else 'flagged'


def _guard_verdict(data: dict) -> str | None:
    answer = str(data['choices'][0]['message']['content'] or '').strip().lower()
    if answer.startswith('safe'):
        return None
    if answer.startswith('unsafe'):
        lines = answer.split()
        return lines[1] if len(lines) > 1 else 'unsafe'
    raise ValueError(f'the guard model answered neither safe nor unsafe: {answer[:40]!r}')


class RemoteChecks:
    """The remote checks a channel switched on, in order: the moderation model, then AutoMod."""

    def __init__(self, moderation: ModerationModel, automod: AutoModCheck | None = None) -> None:
        self.moderation = moderation
        self.automod = automod

    async def flag(self, channel: str, text: str, *, moderation_model: bool, automod: bool) -> str | None:
        if moderation_model:
            try:
                category = await self.moderation.flag(text)
            except ModerationUnavailable:
                return 'moderation model unavailable'
            if category:
                return 'moderation model'
        if automod and self.automod is not None:
            return await self.automod.flag(channel, text)
        return None
