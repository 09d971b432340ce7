"""Known OpenAI-compatible providers (base URLs are facts of each provider's documentation)."""

from __future__ import annotations

PRESETS: dict[str, str] = {
    'ollama': 'http://localhost:11434/v1',
    'openai': 'https://api.openai.com/v1',
    'openrouter': 'https://openrouter.ai/api/v1',
    'lmstudio': 'http://localhost:1234/v1',
    'llamacpp': 'http://localhost:8080/v1',
    'nebius': 'https://api.studio.nebius.ai/v1',
}

LABELS: dict[str, str] = {
    'ollama': 'Ollama (local)', 'openai': 'OpenAI', 'openrouter': 'OpenRouter', 'lmstudio': 'LM Studio (local)',
    'llamacpp': 'llama.cpp server (local)', 'nebius': 'Nebius AI Studio', 'custom': 'Another OpenAI-compatible URL',
}


def preset_of(base_url: str) -> str:
    normalized = base_url.rstrip('/')
    return next((name for name, url in PRESETS.items() if url == normalized), 'custom')
