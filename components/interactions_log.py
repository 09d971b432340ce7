"""Byte's recent answers, and the questions it left unanswered with the reason: which way it answered, what the
safety gate filtered out, and what became of each message. Refreshed at most once a second, so a raid's
questions cost each open tab a handful of updates."""

from __future__ import annotations

from nicegui import ui

from runtime.brain.brain import ChatBrain, Interaction

SHOWN = 30
REFRESH_SECONDS = 1.0
ROUTE_WORDS = {'llm': 'answered by the model', 'llm_unavailable': 'model unreachable: fallback line',
               'recap': 'recap', 'help': 'help', 'intro': 'introduction', 'status': 'status', 'error': 'error',
               'owner_command': 'owner command', 'clip': 'clip request'}
SILENCE_WORDS = {'cooldown': 'not answered: this viewer asked again within their cooldown',
                 'channel_paused': 'not answered: Byte is paused in this channel',
                 'suspended': 'not answered: PANIC, Byte is suspended',
                 'refused': 'not answered: the channel is not joined'}


def route_words(route: str) -> str:
    return SILENCE_WORDS.get(route) or ROUTE_WORDS.get(route, route.replace('_', ' '))


def interactions_log(brain: ChatBrain) -> None:
    columns = [{'name': key, 'label': label, 'field': key, 'align': 'left'} for key, label in (
        ('time', 'Time'), ('channel', 'Channel'), ('route', 'What Byte did'), ('reply', 'Reply'),
        ('memories', 'Memories used'), ('filtered', 'Filtered'), ('outcome', 'Outcome'))]
    table = ui.table(columns=columns, rows=[], row_key='id').props('dense flat wrap-cells') \
        .classes('interactions-log w-full')
    changed = True

    def row(interaction: Interaction, index: int) -> dict[str, str | int]:
        return {'id': index, 'time': f'{interaction.at.astimezone():%H:%M:%S}', 'channel': f'#{interaction.channel}',
                'route': route_words(interaction.route), 'reply': ' / '.join(interaction.replies)[:200],
                'memories': ' '.join(f'#{entry[:6]}' for entry in interaction.memories),
                'filtered': ', '.join(interaction.blocked), 'outcome': ', '.join(interaction.outcomes)}

    def refresh() -> None:
        nonlocal changed
        if not changed:
            return
        changed = False
        recent = list(brain.history)[-SHOWN:]
        table.rows = [row(interaction, index) for index, interaction in enumerate(reversed(recent))]

    def mark_changed(_interaction: Interaction) -> None:
        nonlocal changed
        changed = True

    refresh()
    ui.timer(REFRESH_SECONDS, refresh)
    brain.recorded.subscribe(mark_changed)
