"""Byte's recent answers: which route answered, what was filtered out, and what Outbound did with it."""

from __future__ import annotations

from nicegui import ui

from runtime.brain.brain import ChatBrain, Interaction

SHOWN = 30


def interactions_log(brain: ChatBrain) -> None:
    columns = [{'name': key, 'label': label, 'field': key, 'align': 'left'} for key, label in (
        ('time', 'Time'), ('channel', 'Channel'), ('route', 'Route'), ('reply', 'Reply'), ('filtered', 'Filtered'),
        ('outcome', 'Outcome'))]
    table = ui.table(columns=columns, rows=[], row_key='id').props('dense flat wrap-cells') \
        .classes('interactions-log w-full')

    def row(interaction: Interaction, index: int) -> dict[str, str | int]:
        return {'id': index, 'time': f'{interaction.at.astimezone():%H:%M:%S}', 'channel': f'#{interaction.channel}',
                'route': interaction.route, 'reply': ' / '.join(interaction.replies)[:200],
                'filtered': ', '.join(interaction.blocked), 'outcome': ', '.join(interaction.outcomes)}

    def refresh() -> None:
        recent = list(brain.history)[-SHOWN:]
        table.rows = [row(interaction, index) for index, interaction in enumerate(reversed(recent))]

    refresh()
    brain.recorded.subscribe(lambda _interaction: refresh())
