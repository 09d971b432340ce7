"""The Twitch account card: connect with a code (Device Code flow), see the account's state, disconnect."""

from __future__ import annotations

import httpx
from nicegui import ui

from runtime.storage import StorageError
from runtime.twitch.account import TwitchAccount
from runtime.twitch.oauth import SCOPES, OAuthError

STATE_TEXT = {'none': 'No Twitch account connected', 'connected': 'Connected', 'reauthorize': 'Authorise again'}
STATE_COLOR = {'none': 'grey', 'connected': 'positive', 'reauthorize': 'negative'}


def twitch_account_card(account: TwitchAccount) -> None:
    status = account.status

    async def connect() -> None:
        try:
            await account.start_device_flow()
        except (OAuthError, httpx.HTTPError) as error:
            reason = error if isinstance(error, OAuthError) else f'Twitch cannot be reached ({type(error).__name__})'
            ui.notify(f'Could not start connecting: {reason}', type='negative')

    async def disconnect() -> None:
        try:
            await account.disconnect(reason='dashboard')
        except StorageError as error:
            ui.notify(str(error), type='negative')

    with ui.card().classes('twitch-account w-full').mark('twitch-account'):
        with ui.row().classes('items-center gap-2'):
            ui.label('Twitch bot account').classes('text-lg font-semibold')
            ui.chip().props('dense').classes('account-state') \
                .bind_text_from(status, 'state', backward=lambda state: STATE_TEXT.get(state, state)) \
                .bind_background_color_from(status, 'state', backward=lambda state: STATE_COLOR.get(state, 'grey'))
        ui.label().classes('account-login').bind_text_from(
            status, 'login', backward=lambda login: f'Logged in as {login}' if login else '')
        ui.label().classes('account-detail text-sm text-gray-700').bind_text_from(status, 'detail')
        ui.label().classes('text-xs text-gray-500').bind_text_from(
            status, 'refresh_count', backward=lambda count: f'Token refreshed {count} time(s)' if count else '')
        if account.oauth is None:
            ui.label('To connect an account, register an application at dev.twitch.tv/console (client type: '
                     'public) and start Byte with BYTE_TWITCH_CLIENT_ID set to its client id.') \
                .classes('missing-client-id text-amber-800')
            return
        with ui.column().classes('device-code gap-1').bind_visibility_from(status, 'user_code', backward=bool):
            ui.label('Open this page and enter the code:')
            ui.label().classes('verification-link font-mono text-sm').bind_text_from(status, 'verification_uri')
            ui.button('Open Twitch', icon='open_in_new',
                      on_click=lambda: ui.navigate.to(status.verification_uri, new_tab=True)).props('outline dense')
            ui.label().classes('user-code text-3xl font-mono tracking-widest').bind_text_from(status, 'user_code')
        with ui.row():
            ui.button('Connect Twitch account', icon='link', on_click=connect).classes('connect-twitch') \
                .bind_visibility_from(status, 'user_code', backward=lambda code: not code)
            ui.button('Disconnect', icon='link_off', on_click=disconnect).props('outline color=negative') \
                .bind_visibility_from(status, 'login', backward=bool)
        with ui.expansion('What Byte asks Twitch for').classes('w-full text-sm'):
            for scope, reason in SCOPES.items():
                ui.label(f'{scope}: {reason}')
