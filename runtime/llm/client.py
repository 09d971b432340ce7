"""The LLM client: POST {base_url}/chat/completions, bounded in time and concurrency, retried once.

When the provider cannot be reached the client raises LlmUnavailable with a reason a streamer can read, and the
status says "unavailable" until a call succeeds again. Token usage and estimated cost go to the usage ledger.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import httpx
from nicegui.binding import bindable_dataclass

from runtime.llm.config import LlmConfig

log = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_CONCURRENT_CALLS = 4
MAX_RETRY_AFTER_SECONDS = 5.0
SLOT_WAIT_SECONDS = 30.0
REFUSED_STATUSES = {400, 413, 422}


class LlmUnavailable(Exception):
    """The model could not answer; the message says why (never the key)."""


@dataclass(frozen=True)
class Completion:
    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float


@bindable_dataclass
class LlmStatus:
    state: str = 'unknown'  # unknown (no call yet), ok, unavailable
    reason: str = ''
    model: str = ''
    last_latency_ms: float = 0.0


UsageRecorder = Callable[[int | None, Completion], Coroutine[Any, Any, None]]


class LlmClient:
    def __init__(self, config: LlmConfig, record_usage: UsageRecorder | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, logs_outages: bool = True) -> None:
        self.config = config
        self.logs_outages = logs_outages
        self.record_usage = record_usage
        self.sleep = sleep
        self.status = LlmStatus(model=config.model)
        self._slots = asyncio.Semaphore(MAX_CONCURRENT_CALLS)
        self._http: httpx.AsyncClient | None = None  # one pooled client: a new one per call costs ~20 ms
        self._recording: set[asyncio.Task[None]] = set()

    def _client(self) -> httpx.AsyncClient:
        if self._http is None or self._http.is_closed:
            self._http = _new_http_client()
        return self._http

    async def warm(self) -> None:
        """Make the HTTP client on a worker thread (its TLS set-up takes ~0.1 s), so neither the start nor the
        first question pays for it on the event loop."""
        if self._http is None:
            client = await asyncio.to_thread(_new_http_client)
            if self._http is None:
                self._http = client
            else:  # a question came first and made its own
                await client.aclose()

    async def close(self) -> None:
        if self._recording:  # usage figures still being stored
            await asyncio.gather(*self._recording, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def complete(self, messages: list[dict[str, str]], *, temperature: float | None = None,
                       top_p: float | None = None, max_tokens: int | None = None,
                       channel_id: int | None = None) -> Completion:
        body: dict[str, Any] = {'model': self.config.model, 'messages': messages,
                                'max_tokens': max_tokens or self.config.max_tokens, 'stream': False}
        if temperature is not None:  # without an override the model's own default applies
            body['temperature'] = temperature
        if top_p is not None:
            body['top_p'] = top_p
        try:
            async with asyncio.timeout(SLOT_WAIT_SECONDS):
                await self._slots.acquire()
        except TimeoutError:
            raise LlmUnavailable(f'busy: {MAX_CONCURRENT_CALLS} calls already waiting for the model') from None
        try:
            completion = await self._post_with_retry(body)
        except (UnicodeError, TypeError, ValueError) as error:  # a prompt that cannot be encoded: this call fails
            raise LlmUnavailable(f'the prompt could not be sent ({type(error).__name__})') from None
        finally:
            self._slots.release()
        self.status.state, self.status.reason = 'ok', ''
        self.status.model, self.status.last_latency_ms = completion.model, completion.latency_ms
        if self.record_usage is not None:  # off the reply path: the answer does not wait for a database write
            task = asyncio.create_task(self.record_usage(channel_id, completion))
            self._recording.add(task)
            task.add_done_callback(self._recording.discard)
        return completion

    async def _post_with_retry(self, body: dict[str, Any]) -> Completion:
        for attempt in (1, 2):
            started = time.monotonic()
            try:
                response = await self._client().post(f'{self.config.base_url.rstrip("/")}/chat/completions',
                                                     json=body, headers=self._headers(),
                                                     timeout=self.config.timeout_seconds)
            except (httpx.TimeoutException, httpx.TransportError) as error:
                reason = 'timed out' if isinstance(error, httpx.TimeoutException) else f'cannot connect ({error})'
                if attempt == 1:
                    await self.sleep(0.5)
                    continue
                raise self._unavailable(reason) from None
            if response.status_code in RETRY_STATUSES and attempt == 1:
                await self.sleep(self._retry_delay(response))
                continue
            if response.status_code in REFUSED_STATUSES:  # this request was refused; the provider itself is fine
                raise LlmUnavailable(f'HTTP {response.status_code}: {_error_message(response)}')
            if response.status_code >= 400:
                raise self._unavailable(f'HTTP {response.status_code}: {_error_message(response)}')
            return self._parse(response, (time.monotonic() - started) * 1000)
        raise self._unavailable('no answer')  # not reached: the second attempt returns or raises

    async def probe(self) -> None:
        """Ask the provider for its models (cheap, no tokens spent) so the status is right before anyone asks."""
        try:
            response = await self._client().get(f'{self.config.base_url.rstrip("/")}/models', headers=self._headers(),
                                                timeout=min(self.config.timeout_seconds, 10.0))
        except (httpx.TimeoutException, httpx.TransportError) as error:
            self._unavailable('timed out' if isinstance(error, httpx.TimeoutException) else f'cannot connect ({error})')
            return
        if response.status_code in {401, 403}:
            self._unavailable(f'HTTP {response.status_code}: {_error_message(response)} (check the API key)')
        elif response.status_code >= 500:
            self._unavailable(f'HTTP {response.status_code}: {_error_message(response)}')
        else:  # 2xx, or 404 from a provider without a model list: it answers
            self.status.state, self.status.reason, self.status.model = 'ok', '', self.config.model

    async def test(self) -> Completion:
        """A tiny real completion, for the Settings page's "test the connection"."""
        return await self.complete([{'role': 'user', 'content': 'Reply with the single word: OK'}], max_tokens=5)

    async def try_settings(self, base_url: str, model: str, api_key: str | None) -> Completion:
        """The same tiny completion with settings typed but not saved (checked like a save: ValueError); this
        client, its status and its usage ledger are left as they are."""
        trial = LlmClient(self.config.candidate(base_url, model, api_key), logs_outages=False)
        try:
            return await trial.test()
        finally:
            await trial.close()

    def _headers(self) -> dict[str, str]:
        headers = {'Content-Type': 'application/json'}
        if self.config.api_key:
            headers['Authorization'] = f'Bearer {self.config.api_key}'
        return headers

    @staticmethod
    def _retry_delay(response: httpx.Response) -> float:
        try:
            return min(MAX_RETRY_AFTER_SECONDS, max(0.2, float(response.headers.get('retry-after', '0.8'))))
        except ValueError:
            return 0.8

    def _parse(self, response: httpx.Response, latency_ms: float) -> Completion:
        try:
            data = response.json()
            text = data['choices'][0]['message']['content'] or ''
        except (ValueError, KeyError, IndexError, TypeError):
            raise self._unavailable('the provider answered something that is not a chat completion') from None
        usage = data.get('usage') or {}
        return Completion(text=str(text), model=str(data.get('model') or self.config.model),
                          prompt_tokens=int(usage.get('prompt_tokens') or 0),
                          completion_tokens=int(usage.get('completion_tokens') or 0), latency_ms=latency_ms)

    def _unavailable(self, reason: str) -> LlmUnavailable:
        if self.status.state != 'unavailable' and self.logs_outages:
            log.error('LLM unavailable at %s: %s', self.config.base_url, reason)
        self.status.state, self.status.reason = 'unavailable', reason
        return LlmUnavailable(reason)


def _error_message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.reason_phrase
    error = data.get('error') if isinstance(data, dict) else None
    message = error.get('message') if isinstance(error, dict) else error
    return str(message or response.reason_phrase)[:200]


def _new_http_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(limits=httpx.Limits(max_connections=MAX_CONCURRENT_CALLS))
