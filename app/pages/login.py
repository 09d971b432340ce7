"""/login: the admin token, typed in or carried in the login URL's #fragment (never sent to the server in a URL);
or the one-time `#ticket=` of a window Byte opened itself (app.desktop_window)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi.responses import RedirectResponse
from nicegui import ui

from app.auth import has_admin_session, log_in, log_in_with_ticket
from components.theme import apply_theme

if TYPE_CHECKING:
    from app.system import System

# read the login link's #token=... and drop it from the address bar and the history
FRAGMENT_JS = 'const h = location.hash; history.replaceState(null, "", "/login"); return h;'
FRAGMENT_EVENT = 'byte_login_fragment'


# NiceGUI's native mode runs scripts in the page its window first loads (binding file drops, checking that Vue
# loaded): leaving that page before they ran logs a false "Vue failed to load" and a traceback. So the native window
# stays on /login until pywebview says it is ready (at most 3 s), and a second more.
NATIVE_SETTLE_JS = ('await new Promise(done => { if (window.pywebview && window.pywebview.api) done(); else '
                    '{ window.addEventListener("pywebviewready", done); setTimeout(done, 3000); } }); '
                    'await new Promise(done => setTimeout(done, 1000));')


async def native_window_settled() -> None:
    await ui.run_javascript(NATIVE_SETTLE_JS, timeout=10)


def register_login(system: System) -> None:
    @ui.page('/login', title='Byte · log in')
    async def login_page() -> RedirectResponse | None:
        if has_admin_session(system.credentials):
            return RedirectResponse('/')

        def enter() -> None:
            ui.navigate.to('/welcome' if system.first_run.is_guide_due else '/')  # a new streamer's guide

        async def submit() -> None:
            if await log_in(system.credentials, token.value or ''):
                enter()
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
            elif isinstance(fragment, str) and fragment.startswith('#ticket='):
                ticket, _, opener = fragment.removeprefix('#ticket=').partition('&')
                if await log_in_with_ticket(system.credentials, ticket):
                    if opener == 'native':
                        await native_window_settled()
                    enter()
                else:
                    ui.notify('This window\'s login has been used or has expired: paste the admin token, or start '
                              'Byte again.', type='warning', multi_line=True)

        # a login link pasted into a tab already on /login changes only the #fragment: the page is not loaded again
        ui.on(FRAGMENT_EVENT, lambda event: use_fragment(event.args))
        await ui.context.client.connected()
        ui.run_javascript(f'window.addEventListener("hashchange", () => emitEvent("{FRAGMENT_EVENT}", '
                          f'(() => {{ {FRAGMENT_JS} }})()));')
        await use_fragment(await ui.run_javascript(FRAGMENT_JS))
        return None
