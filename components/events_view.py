"""Events: how the focused channel's follows, subs, gifts, raids, bits, hype trains and first-time chatters are
thanked (each on/off, its line with a live preview and the safety gate's verdict, the smallest amount worth a
line), the shoutout on a raid and the hourly AI budget; the channel-point rewards that are Byte's; what the
connection can hear; in the simulator, a form to post an event or a redemption; and the events Byte heard with what
it did, live."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from nicegui import ui

from runtime.channel_events import HYPE_TRAIN, HYPE_TRAIN_END, KIND_NAMES, KINDS, REDEMPTION, RESUB
from runtime.connection import ChatConnection
from runtime.reactions.channel_points import ChannelPoints
from runtime.reactions.rules import AMOUNT_KINDS, REWARD_MODES, Reaction, ReactionError, template_problem
from runtime.reactions.service import EventReactions, EventRecord
from runtime.storage import StorageError
from runtime.transports.base import TransportError
from runtime.transports.simulator import SIMULATED, SimulatorTransport

AMOUNT_WORDS = {'cheer': 'bits at least', 'raid': 'raiders at least', 'gift': 'gifts at least'}


def rewards_of(text: str) -> dict[str, str]:
    """'Title = mode' lines as rewards; ReactionError for a line that is not one."""
    rewards = {}
    for line in filter(str.strip, text.splitlines()):
        title, equals, mode = line.rpartition('=')
        if not equals:
            raise ReactionError(f'write a reward as "Title = ask" or "Title = approval", not {line.strip()[:60]!r}')
        rewards[title.strip()] = mode.strip().lower()
    return rewards


class EventsView:
    def __init__(self, reactions: EventReactions, points: ChannelPoints, transport: ChatConnection,
                 simulator: SimulatorTransport | None, focused: Callable[[], str | None]) -> None:
        self.reactions, self.transport, self.simulator, self.focused = reactions, transport, simulator, focused
        self.points = points
        self.rows: dict[str, tuple[ui.switch, ui.input, ui.number | None, ui.label]] = {}
        with ui.card().classes('events-view w-full'):
            ui.label('Event reactions').classes('text-lg font-semibold')
            ui.label('What Byte says when something happens in the channel. Variables: {user}, {amount}, {months}, '
                     '{tier}, and {ai} for a few words from the model (within the hourly budget).') \
                .classes('text-sm opacity-70')
            self.listening = ui.label().classes('text-sm').mark('events-listening')
            for kind in KINDS:
                with ui.row().classes('items-center w-full gap-2 flex-wrap'):
                    enabled = ui.switch(KIND_NAMES[kind]).classes('w-48').mark(f'reaction-{kind}-enabled')
                    template = ui.input('Line').props('dense').classes('grow min-w-[14rem]') \
                        .mark(f'reaction-{kind}-template')
                    minimum = ui.number(AMOUNT_WORDS[kind], precision=0, min=0).props('dense').classes('w-32') \
                        .mark(f'reaction-{kind}-min') if kind in AMOUNT_KINDS else None
                preview = ui.label().classes('text-xs opacity-70 wraps').mark(f'reaction-{kind}-preview')
                template.on_value_change(lambda _event, kind=kind: self._preview(kind))
                self.rows[kind] = (enabled, template, minimum, preview)
            with ui.row().classes('items-center gap-4 flex-wrap'):
                self.shoutout = ui.checkbox('Shout out a raiding channel on Twitch').mark('reactions-shoutout')
                self.ai_per_hour = ui.number('AI-worded lines an hour', precision=0, min=0, max=120) \
                    .props('dense').classes('w-48').mark('reactions-ai-per-hour')
            self.rewards = ui.textarea('Channel-point rewards that are Byte\'s, one per line: "Title = ask" (the '
                                       'viewer\'s text is a question to Byte) or "Title = approval" (waits for you)') \
                .props('dense autogrow').classes('w-full').mark('reactions-rewards')
            ui.button('Save reactions', icon='save', on_click=self.save).mark('reactions-save')
            with ui.row().classes('items-center w-full gap-2 flex-wrap'):
                self.reward_title = ui.input('New reward').props('dense maxlength=45').classes('w-44') \
                    .mark('reward-title')
                self.reward_cost = ui.number('Points', value=500, min=1, precision=0).props('dense') \
                    .classes('w-28').mark('reward-cost')
                self.reward_mode = ui.select(REWARD_MODES, value='ask').props('dense').classes('w-64') \
                    .mark('reward-mode')
                ui.button('Make it on Twitch', icon='add_card', on_click=self.create_reward).props('flat') \
                    .mark('reward-create')
            if simulator is not None:
                self._simulator_form()
            ui.label('What happened').classes('font-semibold')
            self.events = ui.column().classes('w-full gap-0 text-sm').mark('events-list')
        reactions.reacted.subscribe(self._on_event)
        self.reload()

    def _simulator_form(self) -> None:
        with ui.row().classes('items-center w-full gap-2 flex-wrap'):
            self.sim_kind = ui.select({kind: KIND_NAMES[kind] for kind in SIMULATED}, value='raid') \
                .props('dense').classes('w-48').mark('event-sim-kind')
            self.sim_user = ui.input('Who', value='viewer').props('dense').classes('w-36').mark('event-sim-user')
            self.sim_amount = ui.number('Amount / months', value=10, precision=0, min=0).props('dense') \
                .classes('w-36').mark('event-sim-amount')
            self.sim_reward = ui.input('Reward (a redemption)').props('dense').classes('w-44') \
                .mark('event-sim-reward')
            self.sim_text = ui.input('Its text').props('dense').classes('w-44').mark('event-sim-text')
            ui.button('Post in the simulator', icon='bolt', on_click=self.post_event).props('flat') \
                .mark('event-sim-post')

    def reload(self) -> None:
        login = self.focused()
        settings = self.reactions.settings(login or '')
        for kind, (enabled, template, minimum, _preview) in self.rows.items():
            reaction = settings.reaction(kind)
            enabled.value, template.value = reaction.enabled, reaction.template
            if minimum is not None:
                minimum.value = reaction.min_amount
            self._preview(kind)
        self.shoutout.value, self.ai_per_hour.value = settings.shoutout_on_raid, settings.ai_per_hour
        self.rewards.value = '\n'.join(f'{title} = {mode}' for title, mode in settings.rewards.items())
        note, listening = self.transport.heard_events(login or '')
        heard = '; '.join(f'{what}: {why or "listening"}' for what, why in listening.items())
        self.listening.set_text(' · '.join(part for part in (note, heard) if part) or
                                'Byte hears channel events once the channel is joined on Twitch.')
        self.events.clear()
        for record in reversed(self.reactions.recent(login) if login else []):
            self._add_event(record)

    def _preview(self, kind: str) -> None:
        _enabled, template, _minimum, preview = self.rows[kind]
        if problem := template_problem(template.value or ''):
            preview.set_text(f'Not a line Byte can use yet: {problem}')
            return
        shown = self.reactions.preview(self.focused() or '', kind, template.value or '')
        preview.set_text(f'The safety gate would refuse this ({", ".join(shown.verdict.reasons)})'
                         if shown.verdict.is_refused else f'Byte would say: {shown.text}')

    async def save(self) -> None:
        login = self.focused()
        if not login:
            ui.notify('Join and focus a channel first.', type='warning')
            return
        held = self.reactions.settings(login)
        reactions = {kind: Reaction(bool(enabled.value), template.value or '',
                                    int(minimum.value or 0) if minimum is not None else held.reaction(kind).min_amount)
                     for kind, (enabled, template, minimum, _preview) in self.rows.items()}
        try:
            await self.reactions.save_settings(login, replace(held, reactions=reactions,
                                                              shoutout_on_raid=bool(self.shoutout.value),
                                                              ai_per_hour=int(self.ai_per_hour.value or 0),
                                                              rewards=rewards_of(self.rewards.value or '')))
        except (ReactionError, StorageError) as error:
            ui.notify(f'Not saved: {error}', type='warning')
            return
        ui.notify(f'Event reactions of #{login} saved')

    async def create_reward(self) -> None:
        """Byte makes the reward (so Twitch lets it fulfil and refund redemptions) and adds it to the list."""
        login = self.focused()
        if not login:
            return
        try:
            await self.points.create_reward(login, self.reward_title.value or '', int(self.reward_cost.value or 0),
                                            self.reward_mode.value or 'ask')
        except (ReactionError, StorageError, TransportError) as error:
            ui.notify(f'Not made: {error}', type='warning')
            return
        ui.notify(f'Reward "{self.reward_title.value}" made on Twitch')
        self.reload()

    def post_event(self) -> None:
        login = self.focused()
        if not login or self.simulator is None:
            return
        kind, number = self.sim_kind.value or 'raid', int(self.sim_amount.value or 0)
        counted = kind in AMOUNT_KINDS or kind in (HYPE_TRAIN, HYPE_TRAIN_END)
        try:
            self.simulator.post_event(login, kind, self.sim_user.value or '', amount=number if counted else 0,
                                      months=number if kind == RESUB else 0, message=self.sim_text.value or '',
                                      reward=(self.sim_reward.value or '') if kind == REDEMPTION else '')
        except TransportError as error:
            ui.notify(str(error), type='warning')

    def _on_event(self, login: str, record: EventRecord) -> None:
        if login == self.focused() and not self.events.is_deleted:
            self._add_event(record)

    def _add_event(self, record: EventRecord) -> None:
        amount = f' ({record.amount})' if record.amount and record.kind != REDEMPTION else ''
        amount += f' · "{record.reward}": {record.text}' if record.kind == REDEMPTION else ''
        said = f' · said "{record.reaction}"' if record.reaction else ''
        with self.events:
            ui.label(f'{record.at:%H:%M:%S} · {KIND_NAMES.get(record.kind, record.kind)} · {record.user or "anonymous"}'
                     f'{amount}{said} · {record.outcome}').classes('wraps channel-event').move(self.events, 0)
