"""Wires the System into NiceGUI: API routes, pages, and the start/stop hooks."""

from __future__ import annotations

import asyncio
import gc
import logging
from typing import Any

from nicegui import Client, app, ui

from app.api.errors import install_error_handlers
from app.api.hardening import Hardening, RateLimit, allowed_hosts
from app.api.routes import add_api
from app.pages.analytics import register_analytics
from app.pages.control import register_control
from app.pages.dashboard import register_dashboard
from app.pages.hud import register_hud
from app.pages.login import register_login
from app.pages.settings import register_settings
from app.pages.welcome import register_welcome
from app.system import System

log = logging.getLogger(__name__)


def wire(system: System) -> None:
    """Register everything the web server serves for this System (call once per NiceGUI app)."""
    install_error_handlers(app)
    settings = system.settings
    app.add_middleware(Hardening, hosts=allowed_hosts(settings.host, settings.allowed_hosts),
                       max_body_bytes=settings.api_max_body_bytes,
                       rate_limit=RateLimit(settings.api_rate_per_second, settings.api_rate_burst))
    add_api(app, system)
    register_login(system)
    register_dashboard(system)
    register_hud(system)
    register_settings(system)
    register_welcome(system)
    register_control(system)
    register_analytics(system)

    async def start() -> None:
        try:
            await system.start()
        except Exception as error:  # keep serving the dashboard so the streamer can see what went wrong
            log.exception('start-up failed')
            system.health.start_failed(error)
        asyncio.get_running_loop().call_soon(settle_heap)

    app.on_startup(start)
    app.on_shutdown(system.stop)
    app.on_shutdown(stop_page_outboxes)
    # a restore, an import or a move happens on the next start: stop once the answer has gone out, main.py starts
    # Byte again
    for owner in system.restarting_owners:
        owner.restart_requested.subscribe(lambda: asyncio.get_running_loop().call_later(0.5, app.shutdown))


def stop_page_outboxes() -> None:
    """Stop each open page's outbox loop before NiceGUI's teardown cancels it: on Python 3.11 the loop's wait_for
    can swallow that cancel, and the teardown then waits its full 2 s for nothing at every stop."""
    for page in list(Client.instances.values()):
        page.outbox.stop()


def settle_heap() -> None:
    """Once ready: move what starting built (modules, tables, word lists: kept for the life of the process) out of
    the collector's sight and turn it back on, so its collections only walk what chat creates. No collection first:
    one over the whole start-up heap would hold the first requests up by a quarter of a second, for the few cycles
    starting leaves behind."""
    gc.freeze()
    gc.enable()


def serve(system: System, window_arguments: dict[str, Any] | None = None) -> None:
    """Run the web server until it is stopped (Ctrl+C, SIGTERM, or closing the native window: see
    app.desktop_window, which also gives `window_arguments`)."""
    wire(system)
    ui.run(
        host=system.settings.host,
        port=system.settings.port,
        title='Byte',
        favicon='🤖',
        reload=False,
        show=False,
        show_welcome_message=False,
        storage_secret=system.credentials.session_secret,
        session_middleware_kwargs={'same_site': 'strict'},
        uvicorn_logging_level='warning',  # no access log: request lines never reach the logs
        **(window_arguments or {}),
    )
