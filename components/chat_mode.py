"""Which transport carries chat, and its live state; the recent outcomes of what Byte tried to send."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

from runtime.outbound import Outbound, OutboundRecord
from runtime.status import TransportStatus
from runtime.storage import StorageError
from runtime.transports.chat_mode import ChatMode
from runtime.transports.irc import Notice

MODE_LABELS: dict[ChatMode, str] = {  # every mode of CHAT_MODES (a test checks it)
    'auto': 'Automatic: EventSub once a Twitch account is connected, the local simulator until then',
    'simulator': 'Local simulator (no Twitch)',
    'eventsub': 'Twitch EventSub (recommended: the bot account chats as a bot)',
    'irc': 'Twitch IRC (joins as an ordinary account; read-only and anonymous without an account)',
}


def chat_mode_card(mode: str, is_fixed: bool, status: TransportStatus,
                   choose: Callable[[str], Awaitable[None]]) -> None:
    async def apply(value: str) -> None:
        try:
            await choose(value)
        except (ValueError, StorageError) as error:
            ui.notify(f'The chat mode was not changed: {error}', type='negative')
            return
        ui.notify(f'Chat now runs on {status.name}.')

    with ui.card().classes('chat-mode w-full'):
        ui.label('Chat connection').classes('text-lg font-semibold')
        select = ui.select(MODE_LABELS, value=mode, label='Mode').classes('mode-select w-full').mark('mode-select')
        if is_fixed:
            select.disable()
            ui.label('Fixed by BYTE_TWITCH_MODE in the settings.').classes('text-xs opacity-70')
        else:
            select.on_value_change(lambda event: apply(event.value))
        ui.label().classes('transport-state').bind_text_from(status, 'state', backward=lambda state: (
            f'{status.name}: {state}'))
        ui.label().classes('transport-detail text-sm opacity-80').bind_text_from(status, 'detail')


OUTCOME_WORDS = {'sent': 'sent', 'refused': 'stopped by Byte', 'rejected': 'refused by Twitch',
                 'dropped': 'not sent'}


def origin_words(origin: str) -> str:
    """'reply:llm' -> 'answer', 'autonomy:chat_pulse' -> 'goal chat pulse'; other origins are words already."""
    kind, _, detail = origin.partition(':')
    if kind == 'reply':
        return 'answer' + (f' ({detail.replace("_", " ")})' if detail and detail != 'llm' else '')
    if kind == 'autonomy':
        return f'goal {detail.replace("_", " ")}'
    return origin.replace('_', ' ')


def outbound_log(outbound: Outbound) -> None:
    columns = [{'name': key, 'label': label, 'field': key, 'align': 'left'}
               for key, label in (('time', 'Time'), ('channel', 'Channel'), ('origin', 'From'),
                                  ('outcome', 'What happened'), ('reason', 'Why'))]
    table = ui.table(columns=columns, rows=[], row_key='id').props('dense flat').classes('outbound-log w-full')

    def row(record: OutboundRecord, index: int) -> dict[str, str | int]:
        return {'id': index, 'time': f'{record.at.astimezone():%H:%M:%S}', 'channel': f'#{record.channel}',
                'origin': origin_words(record.origin), 'outcome': OUTCOME_WORDS.get(record.outcome, record.outcome),
                'reason': record.reason}

    def refresh() -> None:
        records = list(outbound.history)[-50:]
        table.rows = [row(record, index) for index, record in enumerate(reversed(records))]

    refresh()
    outbound.recorded.subscribe(lambda _record: refresh())


def twitch_notices(notices: Callable[[], list[Notice]]) -> None:
    """Twitch's NOTICEs about Byte's messages and standing (duplicates, rate limits, slow mode, bans)."""

    @ui.refreshable
    def view() -> None:
        items = notices()[-20:]
        if not items:
            ui.label('No notices from Twitch.').classes('text-sm opacity-70')
        for notice in reversed(items):
            ui.label(f'{notice.at.astimezone():%H:%M:%S} #{notice.channel or "-"} {notice.kind}: {notice.text}') \
                .classes('twitch-notice text-sm')

    view()
    ui.timer(2.0, view.refresh)
