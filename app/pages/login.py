"""/login: the admin token, typed in or carried in the login URL's #fragment (never sent to the server in a URL)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi.responses import RedirectResponse
from nicegui import ui

from app.auth import has_admin_session, log_in
from components.theme import apply_theme

if TYPE_CHECKING:
    from app.system import System

# read the login link's #token=... and drop it from the address bar and the history
FRAGMENT_JS = 'const h = location.hash; history.replaceState(null, "", "/login"); return h;'
FRAGMENT_EVENT = 'byte_login_fragment'


def register_login(system: System) -> None:
    @ui.page('/login', title='Byte · log in')
    async def login_page() -> RedirectResponse | None:
        if has_admin_session(system.credentials):
            return RedirectResponse('/')

        async def submit() -> None:
            if await log_in(system.credentials, token.value or ''):
                ui.navigate.to('/welcome' if system.first_run.is_guide_due else '/')  # a new streamer's guide
            else:
                token.value = ''
                ui.notify('That admin token is not valid.', type='negative')

        apply_theme()
        with ui.card().classes('absolute-center w-96 max-w-[92vw]'):
            ui.label('Byte').classes('text-2xl font-bold')
            ui.label('Paste the admin token printed when Byte first started.').classes('text-sm opacity-70')
            token = ui.input('Admin token', password=True, password_toggle_button=True)
            token.classes('w-full').mark('token-input')
            token.on('keydown.enter', submit)
            ui.button('Log in', on_click=submit).classes('w-full').mark('login-button')

        async def use_fragment(fragment: object) -> None:
            if isinstance(fragment, str) and fragment.startswith('#token='):
                token.value = fragment.removeprefix('#token=')
                await submit()

        # a login link pasted into a tab already on /login changes only the #fragment: the page is not loaded again
        ui.on(FRAGMENT_EVENT, lambda event: use_fragment(event.args))
        await ui.context.client.connected()
        ui.run_javascript(f'window.addEventListener("hashchange", () => emitEvent("{FRAGMENT_EVENT}", '
                          f'(() => {{ {FRAGMENT_JS} }})()));')
        await use_fragment(await ui.run_javascript(FRAGMENT_JS))
        return None
