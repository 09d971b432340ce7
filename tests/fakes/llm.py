"""A loopback OpenAI-compatible server: POST /v1/chat/completions, POST /v1/moderations (and GET /v1/models),
with scripted answers, failures and delays, recording every request body."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes import serve_on_loopback


@dataclass
class Scripted:
    status: int = 200
    text: str = ''
    delay: float = 0.0
    raw: str | None = None  # a body that is not JSON
    headers: dict[str, str] = field(default_factory=dict)


class FakeLlm:
    def __init__(self, reply: Callable[[dict[str, Any]], str] | None = None, api_key: str | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.moderations: list[dict[str, Any]] = []
        self.flagged_words: dict[str, str] = {}  # word -> the category /moderations flags a text containing it
        self.moderation_delay = 0.0
        self.script: deque[Scripted] = deque()
        self.reply = reply or (lambda body: 'A short, useful answer.')
        self.api_key = api_key
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f'http://127.0.0.1:{self.port}/v1'

    def then(self, *answers: Scripted) -> None:
        self.script.extend(answers)

    def last_messages(self) -> list[dict[str, str]]:
        return self.requests[-1]['messages']

    async def start(self, port: int = 0) -> FakeLlm:
        app = web.Application()
        app.router.add_post('/v1/chat/completions', self._complete)
        app.router.add_get('/v1/models', self._models)
        app.router.add_post('/v1/moderations', self._moderate)
        app.router.add_get('/api/tags', self._ollama_models)  # Ollama's own API, beside its /v1
        self._runner, self.port = await serve_on_loopback(app, port)
        return self

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    def _authorized(self, request: web.Request) -> bool:
        return self.api_key is None or request.headers.get('Authorization') == f'Bearer {self.api_key}'

    async def _models(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return web.json_response({'error': {'message': 'Incorrect API key provided'}}, status=401)
        return web.json_response({'object': 'list', 'data': [{'id': 'fake-model', 'object': 'model'}]})

    async def _ollama_models(self, _request: web.Request) -> web.Response:
        """Ollama's list of pulled models (GET /api/tags), shortened to the fields Byte reads."""
        return web.json_response({'models': [{'name': 'llama3.1:latest', 'model': 'llama3.1:latest',
                                              'size': 4920753328}, {'name': 'qwen2.5:7b', 'model': 'qwen2.5:7b',
                                                                    'size': 4683087332}]})

    async def _moderate(self, request: web.Request) -> web.Response:
        """OpenAI's moderation answer: one result with `flagged`, `categories` and `category_scores`."""
        body = await request.json()
        self.moderations.append(body)
        if not self._authorized(request):
            return web.json_response({'error': {'message': 'Incorrect API key provided'}}, status=401)
        if self.moderation_delay:
            await asyncio.sleep(self.moderation_delay)
        text = str(body.get('input', '')).lower()
        hits = {category for word, category in self.flagged_words.items() if word in text}
        categories = {name: name in hits for name in ('harassment', 'hate', 'sexual', 'violence', 'self-harm')}
        return web.json_response({'id': f'modr-{len(self.moderations)}', 'model': body.get('model') or 'moderation',
                                  'results': [{'flagged': bool(hits), 'categories': categories,
                                               'category_scores': {name: float(flag) for name, flag in
                                                                   categories.items()}}]})

    async def _complete(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        if not self._authorized(request):
            return web.json_response({'error': {'message': 'Incorrect API key provided'}}, status=401)
        scripted = self.script.popleft() if self.script else Scripted(text=self.reply(body))
        if scripted.delay:
            await asyncio.sleep(scripted.delay)
        if scripted.raw is not None:
            return web.Response(text=scripted.raw, status=scripted.status)
        if scripted.status != 200:
            return web.json_response({'error': {'message': f'scripted failure {scripted.status}'}},
                                     status=scripted.status, headers=scripted.headers)
        prompt_tokens = sum(len(json.dumps(message)) // 4 for message in body.get('messages', []))
        return web.json_response({
            'id': f'chatcmpl-{len(self.requests)}', 'object': 'chat.completion', 'model': body.get('model'),
            'choices': [{'index': 0, 'finish_reason': 'stop',
                         'message': {'role': 'assistant', 'content': scripted.text}}],
            'usage': {'prompt_tokens': prompt_tokens, 'completion_tokens': len(scripted.text) // 4,
                      'total_tokens': prompt_tokens + len(scripted.text) // 4},
        })
