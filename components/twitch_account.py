"""The Twitch card: the application Byte connects as (client id, optional secret), then the bot account (Device
Code flow): its state, a lasting note with what to do when connecting failed, disconnect."""

from __future__ import annotations

import httpx
from nicegui import ui

from runtime.storage import StorageError
from runtime.twitch.account import TwitchAccount
from runtime.twitch.app_registration import CONSOLE_URL, TwitchApp
from runtime.twitch.oauth import SCOPES, OAuthError

STATE_TEXT = {'none': 'No Twitch account connected', 'connected': 'Connected', 'reauthorize': 'Authorise again'}
STATE_COLOR = {'none': 'grey', 'connected': 'positive', 'reauthorize': 'negative'}
SOURCE_TEXT = {'settings': 'from BYTE_TWITCH_CLIENT_ID', 'dashboard': 'saved here'}
STEPS = ('Open the Twitch developer console and log in (any Twitch account works).',
         'Choose "Register Your Application": any name, OAuth Redirect URL http://localhost, '
         'category "Chat Bot", Client Type "Public".',
         'Press "Create", then "Manage", and copy the Client ID into the field below.')


def twitch_account_card(account: TwitchAccount) -> None:
    with ui.card().classes('twitch-account w-full').mark('twitch-account'):
        twitch_app_section(account.registration)
        ui.separator()
        account_section(account)


def twitch_app_section(registration: TwitchApp) -> None:
    @ui.refreshable
    def section() -> None:
        app = registration.credentials
        ui.label('Twitch application').classes('text-lg font-semibold')
        if app is None:
            ui.label('Byte talks to Twitch through an application you register once, for free:').classes('text-sm')
            with ui.column().classes('gap-1 text-sm app-steps'):
                for number, step in enumerate(STEPS, start=1):
                    ui.label(f'{number}. {step}')
            ui.link('Open dev.twitch.tv/console', CONSOLE_URL, new_tab=True).classes('console-link')
        else:
            secret = 'with a client secret' if app.client_secret else 'no client secret (a public application)'
            ui.label(f'Client ID {app.client_id}, {SOURCE_TEXT.get(registration.source, "")}; {secret}') \
                .classes('app-summary text-sm wraps')
        with ui.expansion('Change the application' if app else 'Enter the client id',
                          value=app is None).classes('w-full app-form'):
            client_id = ui.input('Client ID', value=app.client_id if app else '').classes('w-full').mark('client-id')
            client_secret = ui.input('Client secret (optional; leave empty to keep the current one)',
                                     password=True, password_toggle_button=True).classes('w-full client-secret')
            with ui.row().classes('gap-2'):
                ui.button('Save application', icon='save', on_click=lambda: save(client_id.value,
                                                                                 client_secret.value)) \
                    .classes('save-app')
                if registration.source == 'dashboard':
                    ui.button('Forget it', on_click=forget).props('flat color=negative')

    async def save(client_id: str, client_secret: str) -> None:
        try:
            await registration.save(client_id, client_secret or None, reason='dashboard')
        except (ValueError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        ui.notify('Twitch application saved: you can connect the bot account now', type='positive')

    async def forget() -> None:
        try:
            await registration.forget(reason='dashboard')
        except StorageError as error:
            ui.notify(str(error), type='negative')

    section()
    registration.changed.subscribe(section.refresh)


def account_section(account: TwitchAccount) -> None:
    status = account.status

    async def connect() -> None:
        try:
            await account.start_device_flow()
        except (OAuthError, httpx.HTTPError):
            ui.notify('Could not start connecting; the card says why', type='negative')

    async def disconnect() -> None:
        try:
            await account.disconnect(reason='dashboard')
        except StorageError as error:
            ui.notify(str(error), type='negative')

    with ui.row().classes('items-center gap-2'):
        ui.label('Twitch bot account').classes('text-lg font-semibold')
        ui.chip().props('dense').classes('account-state') \
            .bind_text_from(status, 'state', backward=lambda state: STATE_TEXT.get(state, state)) \
            .bind_background_color_from(status, 'state', backward=lambda state: STATE_COLOR.get(state, 'grey'))
    ui.label().classes('account-login').bind_text_from(
        status, 'login', backward=lambda login: f'Logged in as {login}' if login else '')
    ui.label().classes('account-detail text-sm').bind_text_from(status, 'detail')
    with ui.row().classes('account-problem items-start gap-2 no-wrap text-negative') \
            .bind_visibility_from(status, 'problem', backward=bool):
        ui.icon('error_outline')
        ui.label().classes('text-sm break-words').bind_text_from(status, 'problem')
    ui.label().classes('text-xs opacity-70').bind_text_from(
        status, 'refresh_count', backward=lambda count: f'Token refreshed {count} time(s)' if count else '')
    with ui.column().classes('device-code gap-1').bind_visibility_from(status, 'user_code', backward=bool):
        ui.label('Open this page and enter the code:')
        ui.label().classes('verification-link font-mono text-sm wraps').bind_text_from(status, 'verification_uri')
        ui.button('Open Twitch', icon='open_in_new',
                  on_click=lambda: ui.navigate.to(status.verification_uri, new_tab=True)).props('outline dense')
        ui.label().classes('user-code text-3xl font-mono tracking-widest').bind_text_from(status, 'user_code')
    with ui.row():
        ui.button('Connect Twitch account', icon='link', on_click=connect).classes('connect-twitch') \
            .bind_visibility_from(status, 'user_code', backward=lambda code: not code) \
            .bind_enabled_from(account.registration, 'client_id', backward=bool)
        ui.button('Disconnect', icon='link_off', on_click=disconnect).props('outline color=negative') \
            .bind_visibility_from(status, 'login', backward=bool)
    with ui.expansion('What Byte asks Twitch for').classes('w-full text-sm'):
        for scope, reason in SCOPES.items():
            ui.label(f'{scope}: {reason}')
