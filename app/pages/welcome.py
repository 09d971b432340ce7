"""/welcome: the setup guide. One step per thing a new streamer sets up (the language model, Twitch, channels, the
database, the overlay in OBS), each showing its state, each skippable; the login opens it until the streamer closes
it, and the dashboard's checklist and Settings link to it later."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from app.auth import has_admin_session
from app.pages.frame import page_frame
from components.channel_manager import channel_manager
from components.database_card import database_card
from components.llm_settings import llm_settings_card
from components.overlay_link import overlay_link
from components.twitch_account import twitch_account_card
from runtime.first_run import FirstRun, Step
from runtime.llm.client import LlmUnavailable
from runtime.llm.ollama import find_ollama, openai_url
from runtime.storage import StorageError, in_database

if TYPE_CHECKING:
    from app.system import System

STATE_COLORS = {'done': 'positive', 'skipped': 'grey', 'to do': 'warning'}


def register_welcome(system: System) -> None:
    @ui.page('/welcome', title='Byte · setup guide')
    def welcome(request: Request) -> RedirectResponse | None:
        if not has_admin_session(system.credentials):
            return RedirectResponse('/login')
        first_run = system.first_run

        async def save_llm(base_url: str, model: str, api_key: str | None) -> None:
            await system.llm_config.save(system.repositories, base_url, model, api_key, reason='setup guide')

        async def close() -> None:
            try:
                await first_run.close_guide()
            except StorageError as error:
                ui.notify(str(error), type='negative')
                return
            ui.navigate.to('/')

        page_frame(system)
        with ui.column().classes('w-full max-w-3xl gap-2'):
            with ui.row().classes('w-full items-center'):
                ui.label('Set up Byte').classes('text-2xl font-semibold grow')
                ui.button('Close the guide', icon='close', on_click=close).props('flat no-caps') \
                    .classes('welcome-close').mark('welcome-close')
            ui.label('Five steps; each can be skipped and done later (this guide stays in Settings).') \
                .classes('text-sm opacity-70')
            shown: dict[str, Callable[[Step], None]] = {}
            with ui.stepper().props('vertical header-nav').classes('w-full welcome') as stepper:
                with guide_step(stepper, first_run, 'model', shown):
                    @ui.refreshable
                    def model_card() -> None:
                        llm_settings_card(system.llm, save_llm, lambda: in_database(system.repositories.usage.totals))

                    ollama_line(system, model_card.refresh)
                    model_card()
                with guide_step(stepper, first_run, 'twitch', shown):
                    twitch_account_card(system.account)
                with guide_step(stepper, first_run, 'channel', shown):
                    channel_manager(system.channels, system.transport.status, system.control, lambda _login: None)
                with guide_step(stepper, first_run, 'database', shown):
                    database_step(system)
                with guide_step(stepper, first_run, 'overlay', shown):
                    overlay_step(system, str(request.base_url))

            def show_states() -> None:  # done comes from the owners (a model that answers, Twitch connected, ...)
                for step in first_run.steps():
                    shown[step.name](step)

            ui.timer(2.0, show_states)
            ui.button('Done for now: open the dashboard', icon='dashboard', on_click=close).props('no-caps') \
                .classes('welcome-finish').mark('welcome-finish')
        return None


def guide_step(stepper: ui.stepper, first_run: FirstRun, name: str,
               shown: dict[str, Callable[[Step], None]]) -> ui.step:
    """A step whose title shows its state (`shown[name]` shows a new one), with Next, Back and Skip."""
    def current() -> Step:
        return next(step for step in first_run.steps() if step.name == name)

    async def skip() -> None:
        try:
            await first_run.skip(name, not current().is_skipped)
        except StorageError as error:
            ui.notify(str(error), type='negative')
            return
        show_state(current())
        if current().is_skipped:
            stepper.next()

    def show_state(step: Step) -> None:
        state.set_text(step.state)
        state.props(f'color={STATE_COLORS[step.state]}')
        skip_button.set_text('Undo skip' if step.is_skipped else 'Skip this step')
        section.props(f'caption="{step.state}"')
        if step.is_done:
            section.props('done')
        else:
            section.props(remove='done')

    section = ui.step(name, title=current().title).mark(f'welcome-{name}')
    with section:
        with ui.row().classes('items-center gap-2'):
            state = ui.chip('', color='warning').props('dense').classes(f'welcome-state-{name}') \
                .mark(f'welcome-state-{name}')
            ui.label(current().how).classes('text-sm opacity-80')
        with ui.stepper_navigation().classes('order-last'):
            ui.button('Next', on_click=stepper.next).props('no-caps').mark(f'welcome-next-{name}')
            skip_button = ui.button('', on_click=skip).props('flat no-caps').classes(f'welcome-skip-{name}') \
                .mark(f'welcome-skip-{name}')
            ui.button('Back', on_click=stepper.previous).props('flat no-caps')
    show_state(current())
    shown[name] = show_state
    return section


def ollama_line(system: System, used: Callable[[], object]) -> None:
    """Ollama found on this computer, with a button that uses it."""
    holder = ui.row().classes('items-center gap-2 w-full').mark('welcome-ollama')

    async def use(model: str) -> None:
        try:
            await system.llm_config.save(system.repositories, openai_url(system.settings.ollama_url), model, '',
                                         reason='setup guide')
        except (ValueError, StorageError) as error:
            ui.notify(str(error), type='negative')
            return
        ui.notify(f'Byte uses {model} on Ollama; testing it ...', type='positive')
        used()  # the card below shows the new provider and model
        try:
            await system.llm.test()
        except LlmUnavailable as error:  # the model's state shows why; the guide goes on
            ui.notify(f'The model did not answer: {error}', type='warning')

    async def look() -> None:
        models = await find_ollama(system.settings.ollama_url)
        holder.clear()
        with holder:
            if models is None:
                ui.label('Ollama is not running on this computer (ollama.com installs it); or choose a provider '
                         'with a key below.').classes('text-sm')
            elif not models:
                ui.label('Ollama runs here but has no model yet: run "ollama pull llama3.1".').classes('text-sm')
            else:
                ui.label(f'Ollama runs here with {len(models)} model(s).').classes('text-sm text-positive')
                picked = ui.select(models, value=models[0]).props('dense outlined').mark('welcome-ollama-model')
                ui.button('Use it', icon='check', on_click=lambda: use(picked.value)).props('no-caps') \
                    .classes('welcome-ollama-use').mark('welcome-ollama-use')

    ui.timer(0, look, once=True)


def database_step(system: System) -> None:
    async def keep() -> None:
        try:
            await system.first_run.keep_builtin_database()
        except StorageError as error:
            ui.notify(str(error), type='negative')
            return
        ui.notify('Byte keeps its data in the built-in file on this computer.', type='positive')

    database_card(system.database_move, keep)


def overlay_step(system: System, base_url: str) -> None:
    overlay_link(system.credentials, base_url)
    ui.label('Preview of the public overlay (transparent in OBS; the checks show through here):').classes('text-sm')
    url = f'/hud?key={system.credentials.overlay_key}&preview=true'
    ui.element('iframe').props(f'src="{url}" title="overlay preview"') \
        .classes('welcome-overlay-preview w-full h-48 rounded') \
        .style('border: 1px solid rgba(128,128,128,.4); background: repeating-conic-gradient(#8884 0 25%, '
               'transparent 0 50%) 50% / 20px 20px').mark('welcome-overlay-preview')
