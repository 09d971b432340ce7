"""The LLM configuration: defaults from the settings, overridden by what the streamer saved in the dashboard."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from persistence.repositories import Repositories
from runtime.storage import in_database

log = logging.getLogger(__name__)

BASE_URL, MODEL, API_KEY = 'llm_base_url', 'llm_model', 'llm_api_key'


@dataclass
class LlmConfig:
    base_url: str
    model: str
    api_key: str | None
    timeout_seconds: float = 20.0
    max_tokens: int = 300
    input_cost_per_million: float = 0.0
    output_cost_per_million: float = 0.0
    source: str = 'settings'  # or 'dashboard'

    def load_saved(self, repositories: Repositories) -> None:
        """Apply what the streamer saved in the dashboard (it wins over the settings' defaults)."""
        base_url, model = repositories.settings.get(BASE_URL), repositories.settings.get(MODEL)
        api_key = repositories.secrets.get(API_KEY)
        if base_url or model or api_key:
            self.base_url, self.model = base_url or self.base_url, model or self.model
            self.api_key = api_key if api_key is not None else self.api_key
            self.source = 'dashboard'

    async def save(self, repositories: Repositories, base_url: str, model: str, api_key: str | None,
                   reason: str) -> None:
        """Store a new provider, model and (when given) key. `api_key=None` keeps the current key, but only for
        the same host; '' removes it."""
        base_url, model, api_key = self._checked(base_url, model, api_key)
        await in_database(repositories.settings.set, BASE_URL, base_url)
        await in_database(repositories.settings.set, MODEL, model)
        if api_key is not None:
            await in_database(repositories.secrets.set, API_KEY, api_key.strip())
            self.api_key = api_key.strip() or None
        self.base_url, self.model, self.source = base_url, model, 'dashboard'
        log.info('LLM set to %s at %s (%s)', model, base_url, reason)

    def candidate(self, base_url: str, model: str, api_key: str | None) -> LlmConfig:
        """These settings as they would be saved (checked alike; `api_key=None`: the stored key, only for the same
        host), without saving them: for testing what the streamer has typed."""
        base_url, model, api_key = self._checked(base_url, model, api_key)
        return replace(self, base_url=base_url, model=model,
                       api_key=self.api_key if api_key is None else api_key.strip() or None)

    def _checked(self, base_url: str, model: str, api_key: str | None) -> tuple[str, str, str | None]:
        base_url, model = base_url.strip(), model.strip()
        if not base_url.startswith(('http://', 'https://')):
            raise ValueError('the provider URL must start with http:// or https://')
        if not model:
            raise ValueError('name a model')
        if api_key is None and urlsplit(base_url).netloc != urlsplit(self.base_url).netloc:
            api_key = ''  # a key is never sent to another provider than the one it was given for
        return base_url, model, api_key

    def cost_usd(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.input_cost_per_million + completion_tokens * self.output_cost_per_million) / 1e6
