"""The Safety tab's settings: the focused channel's own words to block, domains to allow and remote checks (with
the AutoMod budget), and, for every channel, what a refused answer becomes and the optional moderation model."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from nicegui import ui

from runtime.clock import Clock
from runtime.safety.gate import SafetyGate
from runtime.safety.remote import KINDS
from runtime.storage import StorageError
from runtime.twitch.oauth import OAuthError

KIND_LABELS = {'off': 'off', 'moderation': 'OpenAI-compatible /moderations',
               'guard': 'guard model (e.g. Llama Guard via Ollama)'}


def _lines(text: str | None) -> list[str]:
    return [part.strip() for chunk in (text or '').splitlines() for part in chunk.split(',') if part.strip()]


class SafetySettings:
    def __init__(self, gate: SafetyGate, clock: Clock, focused: Callable[[], str | None]) -> None:
        self.gate, self.clock, self.focused = gate, clock, focused
        with ui.card().classes('safety-settings w-full'):
            ui.label('This channel').classes('text-lg font-semibold')
            ui.label('On by default everywhere: links, mass mentions, chat commands, impersonation, offensive '
                     'language, the private notes and floods are refused. Here you add your own words and the '
                     'domains Byte may link to.').classes('text-xs opacity-70')
            with ui.row().classes('w-full gap-2 flex-wrap md:flex-nowrap'):
                self.words = ui.textarea('Words to block (one per line; matched inside words)') \
                    .props('autogrow').classes('grow w-full md:w-auto').mark('safety-words')
                self.domains = ui.textarea('Domains Byte may link to (e.g. twitch.tv)') \
                    .props('autogrow').classes('grow w-full md:w-auto').mark('safety-domains')
            with ui.row().classes('items-center gap-6'):
                self.use_model = ui.switch('Ask the moderation model first').mark('safety-use-model')
                self.use_automod = ui.switch('Ask Twitch AutoMod first').mark('safety-use-automod')
            self.automod = ui.label().classes('text-xs opacity-70 safety-automod').mark('safety-automod')
            with ui.row().classes('items-center gap-2'):
                ui.button('Authorise as the broadcaster', icon='verified_user', on_click=self.authorise_automod) \
                    .props('outline dense').mark('safety-automod-authorise') \
                    .tooltip("logged in as the channel's broadcaster, for AutoMod's check, hype trains and channel "
                             'points: Twitch asks for moderation:read, channel:read:hype_train and '
                             'channel:manage:redemptions only')
                ui.button('Forget', on_click=self.forget_automod).props('flat dense').mark('safety-automod-forget')
                self.automod_code = ui.label().classes('text-sm safety-automod-code').mark('safety-automod-code')
            ui.button('Save for this channel', icon='check', on_click=self.save_channel).mark('safety-save')
            ui.separator()
            ui.label('Every channel').classes('text-lg font-semibold')
            with ui.row().classes('w-full items-center gap-2 flex-wrap md:flex-nowrap'):
                self.mode = ui.select({'line': 'a short neutral line', 'silence': 'silence'}, label='A refused answer '
                                      'becomes').classes('w-64').mark('safety-refusal')
                self.line = ui.input('Neutral line').props('maxlength=200').classes('grow').mark('safety-line')
            with ui.row().classes('w-full items-center gap-2 flex-wrap md:flex-nowrap'):
                self.kind = ui.select({kind: KIND_LABELS[kind] for kind in KINDS}, label='Moderation model') \
                    .classes('w-72').mark('safety-model-kind')
                self.url = ui.input('URL (e.g. http://localhost:11434/v1)').classes('grow').mark('safety-model-url')
                self.model = ui.input('Model').classes('w-40').mark('safety-model-name')
                self.key = ui.input('API key (kept)', password=True).classes('w-40').mark('safety-model-key')
            self.model_state = ui.label().classes('text-xs opacity-70 safety-model-state')
            ui.button('Save for every channel', icon='check', on_click=self.save_everywhere) \
                .mark('safety-save-everywhere')
        self.reload()

    def reload(self) -> None:
        login = self.focused()
        settings = self.gate.channel_settings(login) if login and self.gate.channels.get(login) else None
        self.words.value = '\n'.join(settings.blocked_words) if settings else ''
        self.domains.value = '\n'.join(settings.allowed_domains) if settings else ''
        self.use_model.value = bool(settings and settings.use_moderation_model)
        self.use_automod.value = bool(settings and settings.use_automod)
        self._show_automod(login)
        config, status = self.gate.remote.moderation.config, self.gate.remote.moderation.status
        self.mode.value, self.line.value = self.gate.refusal_mode, self.gate.refusal_line
        self.kind.value, self.url.value, self.model.value = config.kind, config.base_url, config.model
        self.model_state.set_text(f'moderation model: {status.state}' + (f' ({status.reason})' if status.reason else '')
                                  + f' · {status.checked} checked, {status.flagged} flagged'
                                  + (' · a key is stored' if config.api_key else ''))

    def _show_automod(self, login: str | None) -> None:
        automod = self.gate.remote.automod
        if automod is None or not login:
            self.automod.set_text('')
            return
        budget = automod.budget(login)
        per_minute, per_hour = budget.limits()
        used_minute, used_hour = budget.used(self.clock.monotonic())
        why = automod.unavailable_reason(login)
        runtime = self.gate.channels.get(login)
        broadcaster = runtime.twitch_user_id if runtime else None
        granted, missing = automod.grants.granted_by(broadcaster), automod.grants.missing_scopes(broadcaster)
        self.automod.set_text((f'AutoMod cannot be asked here: {why}. ' if why else '')
                              + (f'Authorised by {granted}' + (f' without {", ".join(missing)}: authorise again for '
                                                             'hype trains and channel points. ' if missing else '. ')
                                 if granted else '')
                              + f'AutoMod budget: {used_minute} of {per_minute} this minute, {used_hour} of '
                              f'{per_hour} this hour · {budget.checked} checked, {budget.flagged} held, '
                              f'{budget.skipped} went on without it'
                              + (f' (last: {budget.last_reason})' if budget.last_reason else ''))

    async def authorise_automod(self) -> None:
        login = self.focused()
        runtime = self.gate.channels.get(login or '')
        automod = self.gate.remote.automod
        if runtime is None or automod is None or not runtime.twitch_user_id:
            ui.notify('Connect Twitch first: the channel\'s Twitch id is not known yet.', type='warning')
            return
        try:
            device = await automod.grants.authorise(runtime.login, runtime.twitch_user_id)
        except (OAuthError, httpx.HTTPError) as error:
            ui.notify(f'Twitch did not start the authorisation: {error}', type='negative')
            return
        self.automod_code.set_text(f'Logged in as #{runtime.login}, enter {device.user_code} at '
                                   f'{device.verification_uri.split("?")[0]}')

    async def forget_automod(self) -> None:
        runtime = self.gate.channels.get(self.focused() or '')
        automod = self.gate.remote.automod
        if runtime is not None and automod is not None and runtime.twitch_user_id:
            await automod.grants.forget(runtime.twitch_user_id, reason='dashboard')
        self.automod_code.set_text('')
        self.reload()

    async def save_channel(self) -> None:
        login = self.focused()
        if not login:
            ui.notify('Join a channel first.', type='warning')
            return
        try:
            await self.gate.set_channel_settings(login, blocked_words=_lines(self.words.value),
                                                 allowed_domains=_lines(self.domains.value),
                                                 use_moderation_model=bool(self.use_model.value),
                                                 use_automod=bool(self.use_automod.value), reason='dashboard')
        except (ValueError, KeyError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        self.reload()
        ui.notify(f'Safety settings for #{login} saved.', type='positive')

    async def save_everywhere(self) -> None:
        try:
            await self.gate.set_refusal(self.mode.value or 'line', self.line.value or None, reason='dashboard')
            await self.gate.remote.moderation.save(self.kind.value or 'off', self.url.value or '',
                                                   self.model.value or '', self.key.value or None,
                                                   self.gate.remote.moderation.config.timeout_seconds,
                                                   reason='dashboard')
        except (ValueError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        self.key.value = ''
        self.reload()
        ui.notify('Safety settings saved.', type='positive')
