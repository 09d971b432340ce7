"""What to do when Byte cannot reach its language model: which address failed and why, that Byte's default is
Ollama on this computer and how to get it, and a link to Settings."""

from __future__ import annotations

from urllib.parse import urlsplit

from nicegui import ui

from runtime.llm.client import LlmClient

OLLAMA_PORT = 11434


def guidance(llm: LlmClient) -> str:
    config = llm.config
    text = f'Byte cannot reach its language model {config.model} at {config.base_url}: {llm.status.reason}.'
    if urlsplit(config.base_url).port == OLLAMA_PORT:
        text += (f' Byte uses Ollama on this computer unless told otherwise: install it from ollama.com, then run '
                 f'"ollama pull {config.model}". Or choose another provider in Settings.')
    else:
        text += ' Check the address, the model name and the key in Settings, or choose another provider there.'
    return text + ' Until then Byte reads chat and answers with its fallback line, if one is set.'


def llm_guidance(llm: LlmClient) -> None:
    with ui.card().classes('llm-guidance w-full bg-amber-500/10').props('flat bordered') \
            .bind_visibility_from(llm.status, 'state', backward=lambda state: state == 'unavailable'):
        with ui.row().classes('items-center gap-2 no-wrap'):
            ui.icon('psychology_alt', color='warning').classes('text-2xl')
            ui.label().classes('text-sm').bind_text_from(llm.status, 'reason', backward=lambda _: guidance(llm))
        ui.link('Open Settings', '/settings').classes('text-sm font-semibold')
