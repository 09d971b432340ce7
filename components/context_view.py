"""The context inspector: what Byte knows about the focused channel, live and as stored, and the exact prompt
it would send for a test question (so the streamer sees what notes and style do)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from nicegui import ui

from components.shown import shown
from runtime.brain.prompt import Prompt
from runtime.brain.replies import contract_text, split_messages
from runtime.channels import ChannelRuntime, Channels
from runtime.context_inspector import ContextInspector
from runtime.llm.client import LlmClient, LlmUnavailable
from runtime.safety.gate import SafetyGate
from runtime.storage import StorageError

LABELS = {'channel_id': 'Channel', 'current_game': 'Game', 'stream_vibe': 'Vibe', 'last_event': 'Last event',
          'style_profile': 'Style', 'last_reply': "Byte's last reply", 'agent_notes': "Streamer's notes",
          'channel_paused': 'Paused', 'temperature': 'Temperature', 'top_p': 'Top-p', 'allow_links': 'Links allowed',
          'observability': 'Stream facts', 'recent_chat_entries': 'Recent chat', 'persisted_state': 'Stream state',
          'persisted_agent_notes': "Streamer's notes", 'persisted_recent_history': 'Recent chat',
          'updated_at': 'Saved', 'notes': 'Notes', 'has_notes': 'Has notes', 'source': 'Kept in',
          'game': 'Game', 'topic': 'Topic', 'error': 'Error'}
HIDDEN = {'has_persisted_state', 'has_persisted_notes', 'has_persisted_history'}  # the sections say it already


def _fields(facts: dict[str, Any], indent: str = '') -> None:
    for key, value in facts.items():
        if key in HIDDEN:
            continue
        label = LABELS.get(key, key.replace('_', ' ').capitalize())
        if isinstance(value, dict):
            ui.label(f'{label}:' if value else f'{label}: —').classes(f'font-semibold text-xs {indent}')
            _fields(value, indent + ' pl-3')
        elif isinstance(value, list):
            ui.label(f'{label}:' if value else f'{label}: —').classes(f'font-semibold text-xs {indent}')
            for item in value:
                ui.label(str(item)).classes(f'text-xs pl-3 {indent} wraps')
        else:
            ui.label(f'{label}: {shown(value)}').classes(f'text-xs {indent} wraps')


def _facts(container: ui.element, facts: dict[str, Any]) -> None:
    """Labelled fields; the raw data (as the API gives it) behind a toggle."""
    container.clear()
    with container:
        _fields(facts)
        if facts:
            with ui.expansion('Raw data').props('dense').classes('text-xs w-full'):  # as the API gives it
                ui.label(json.dumps(facts, indent=2, default=str, ensure_ascii=False)) \
                    .classes('w-full text-xs font-mono whitespace-pre-wrap wraps bg-gray-500/10 p-2')


def context_view(channels: Channels, inspector: ContextInspector, llm: LlmClient, gate: SafetyGate,
                 focused: Callable[[], str | None]) -> Callable[[], None]:
    """Builds the inspector; returns a function that reloads it for the focused channel."""

    async def refresh() -> None:
        runtime = channels.get(focused() or '')
        if runtime is None:
            _facts(live, {})
            _facts(stored, {})
            return
        _facts(live, inspector.live(runtime))
        try:
            facts = await inspector.persisted(runtime)
        except StorageError as error:
            facts = {'error': str(error)}
        if not stored.is_deleted:  # the tab may have closed while the database answered
            _facts(stored, facts)

    with ui.card().classes('context-view w-full'):
        with ui.row().classes('items-center'):
            ui.label('Context').classes('text-lg font-semibold')
            ui.button(icon='refresh', on_click=refresh).props('flat round').tooltip('refresh').mark('context-refresh')
        with ui.element('div').classes('w-full flex flex-col md:flex-row md:flex-nowrap gap-4 items-start'):
            with ui.column().classes('w-full md:w-1/2 gap-0 min-w-0'):
                ui.label('Live').classes('font-semibold')
                live = ui.column().classes('gap-0 w-full context-live')
            with ui.column().classes('w-full md:w-1/2 gap-0 min-w-0'):
                ui.label('Stored').classes('font-semibold')
                stored = ui.column().classes('gap-0 w-full context-stored')
        ui.separator()
        clear_preview = prompt_preview(channels, inspector, llm, gate, focused)

    def reload() -> None:
        clear_preview()
        ui.timer(0, refresh, once=True)

    async def on_change(login: str) -> None:  # saved elsewhere (the Channel tab, the API): never shown stale
        if login == focused():
            await refresh()

    reload()
    channels.settings_changed.subscribe(on_change)
    return reload


def prompt_preview(channels: Channels, inspector: ContextInspector, llm: LlmClient, gate: SafetyGate,
                   focused: Callable[[], str | None]) -> Callable[[], None]:
    """The prompt Byte would send for a test question, and (on request) the model's answer, never sent to chat."""

    async def current() -> tuple[ChannelRuntime, Prompt] | None:
        runtime = channels.get(focused() or '')
        text = (question.value or '').strip()
        if not runtime or not text:
            return None
        prompt, recalled = await inspector.prompt_preview(runtime, text, (viewer.value or '').strip() or 'viewer')
        used.set_text(f'Memories in this prompt: {len(recalled)}' + ''.join(
            f'\n· {item.entry.content[:80]} ({"pinned" if item.similarity is None else f"{item.similarity:.2f}"})'
            for item in recalled))
        return runtime, prompt

    async def preview() -> None:
        if found := await current():
            system_text.set_text(found[1].system)
            user_text.set_text(found[1].user)

    async def try_model() -> None:
        if not (found := await current()):
            return
        runtime, prompt = found
        try:
            completion = await llm.complete(prompt.messages(), temperature=runtime.temperature, top_p=runtime.top_p,
                                            channel_id=runtime.channel_id)
        except LlmUnavailable as error:
            answer.set_text(f'LLM unavailable: {error}')
            return
        verdict = gate.judge(runtime.login, contract_text(completion.text))
        if verdict.is_refused:
            answer.set_text(f'(the safety gate would refuse this answer: {", ".join(verdict.reasons)})')
        else:
            note = f'  (rewritten: {", ".join(verdict.reasons)})' if verdict.reasons else ''
            answer.set_text(' / '.join(split_messages(verdict.text)) + note)

    ui.label('Prompt preview').classes('font-semibold')
    with ui.row().classes('w-full no-wrap items-center'):
        question = ui.input('A test question from a viewer').classes('grow').mark('preview-question')
        viewer = ui.input('Asked by', placeholder='viewer').classes('w-32').mark('preview-viewer')
        ui.button('Show prompt', on_click=preview).props('outline').mark('preview-button')
        ui.button('Ask the model', on_click=try_model).props('outline').tooltip('nothing is sent to chat')
    system_text = ui.label().classes('prompt-system whitespace-pre-wrap font-mono text-xs bg-gray-500/10 p-2 w-full')
    user_text = ui.label().classes('prompt-user whitespace-pre-wrap font-mono text-xs bg-gray-500/10 p-2 w-full')
    used = ui.label().classes('prompt-memories whitespace-pre-wrap text-xs')
    answer = ui.label().classes('model-answer text-sm')

    def clear() -> None:
        for label in (system_text, user_text, used, answer):
            label.set_text('')

    return clear
