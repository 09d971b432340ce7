"""Finding Ollama on this computer: its own API lists the models pulled (GET /api/tags), and its OpenAI-compatible
API is at /v1 beside it."""

from __future__ import annotations

import httpx

OLLAMA_URL = 'http://127.0.0.1:11434'  # Ollama's default address


async def find_ollama(root: str = OLLAMA_URL, timeout: float = 1.5) -> list[str] | None:
    """The models Ollama has, newest name first as it lists them; None when no Ollama answers there."""
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            answer = await client.get(f'{root.rstrip("/")}/api/tags')
            answer.raise_for_status()
            models = answer.json().get('models', [])
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    return [str(model['name']) for model in models if isinstance(model, dict) and model.get('name')]


def openai_url(root: str) -> str:
    return f'{root.rstrip("/")}/v1'
