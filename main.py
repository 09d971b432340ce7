"""Byte: settings -> System -> web server.  Run `python main.py --help` for the options."""

from __future__ import annotations

import argparse
import gc
import logging
import multiprocessing
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.settings import Settings


def main(argv: list[str] | None = None) -> int:
    # Starting builds a large heap that is all kept: collecting it again and again while it grows costs a third
    # of the start. The web server's start hook freezes it and turns the collector back on when Byte is ready
    # (app.web.settle_heap).
    gc.disable()
    # the packaged build has no console on Windows and macOS: the streams are None there, and uvicorn's log formatter
    # would fail asking them whether they are terminals (the dashboard's recent log still shows every line)
    for name in ('stdout', 'stderr'):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, 'w', encoding='utf-8'))  # kept for the life of the process
    args = parse_arguments(argv)

    from app.settings import SettingsError, load_settings, unknown_variables

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f'byte: {error}', file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    logging.getLogger('alembic').setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level)))
    # twitchio's debug lines show request routes, whose query strings can carry tokens; the HTTP clients' lines
    # are noise at best
    logging.getLogger('twitchio').setLevel(max(logging.INFO, logging.getLevelName(settings.log_level)))
    for noisy in ('httpx', 'httpcore', 'aiohttp', 'apscheduler'):  # apscheduler: two lines per job run
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if unknown := unknown_variables(os.environ):
        logging.getLogger('byte').warning('ignoring unknown settings (typos?): %s', ', '.join(unknown))
    if args.move_database:
        return move_database(settings, sys.stdin.readline() if args.move_database == '-' else args.move_database)
    # NiceGUI reads its session folder when it is imported, so it is set before anything imports nicegui.
    os.environ.setdefault('NICEGUI_STORAGE_PATH', str(settings.data_dir / 'sessions'))

    from app.database_opening import StartupError
    from app.desktop_window import default_window, native_problem
    from app.system import System

    window = args.window or default_window()
    if window == 'native' and (problem := native_problem()):
        print(f'byte: no native window: {problem}; the dashboard opens in your browser instead', file=sys.stderr)
        window = 'browser'

    try:
        system = System(settings)
        system.prepare()
        if args.new_admin_token:
            system.new_admin_token = system.credentials.new_admin_token()
    except (StartupError, RuntimeError) as error:
        print(f'byte: cannot start: {error}', file=sys.stderr)
        return 1
    except OSError as error:  # the data folder cannot be created or written
        print(f'byte: cannot start: {error.strerror or error} ({error.filename or settings.data_dir})',
              file=sys.stderr)
        return 1
    announce(settings.host, settings.port, system.new_admin_token)

    from app.desktop_window import Departure, DesktopWindow
    from app.web import serve

    desktop_window = DesktopWindow(system, window)
    departure = Departure(system, desktop_window)  # also an exit hook: closing the native window leaves that way
    # the web server stops cleanly on SIGTERM, then raises it again once it has: leave as after Ctrl+C (exit code 0,
    # the departure run) instead of dying by it
    signal.signal(signal.SIGTERM, stopped_by_signal)
    try:
        serve(system, desktop_window.run_arguments())
    except KeyboardInterrupt:  # Ctrl+C: the server already shut down cleanly
        pass
    finally:
        departure()
    return 0


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='byte', description='Byte, the AI co-host for Twitch streamers.')
    parser.add_argument('--new-admin-token', action='store_true',
                        help='generate a new admin token, print its login URL once, and log out every session')
    parser.add_argument('--move-database', metavar='URL',
                        help='with Byte stopped: copy everything in the built-in database to this PostgreSQL or '
                             'Supabase URL ("-" reads it from standard input, out of the shell\'s history), check the '
                             'row counts, and use it from the next start')
    parser.add_argument('--window', choices=('none', 'native', 'browser'), default=None,
                        help='open the dashboard, logged in, in a window of its own (native) or in the system browser '
                             '(default: none from source, native for the packaged build)')
    parser.add_argument('--native', dest='window', action='store_const', const='native',
                        help='the same as --window native')
    return parser.parse_args(argv)


def move_database(settings: Settings, target: str) -> int:
    import socket

    from persistence.database import resolve_database_url, sqlite_file
    from runtime.database_move import ENVIRONMENT_NOTE, MoveProblem, move_now

    source = resolve_database_url(settings.database_url, settings.data_dir)
    problem = ENVIRONMENT_NOTE if settings.database_url else ''
    if not problem and not (sqlite_file(source) or Path()).is_file():
        problem = 'Byte is not on its built-in database (or has none yet): there is nothing here to copy'
    with socket.socket() as probe:
        probe.settimeout(0.5)
        if not problem and probe.connect_ex(('127.0.0.1' if settings.is_loopback_host else settings.host,
                                             settings.port)) == 0:
            problem = f'something answers on port {settings.port}: stop Byte first (or move from the dashboard)'
    try:
        if problem:
            raise MoveProblem(problem)
        report = move_now(source, target, settings.data_dir, copy=True,
                          progress=lambda table, rows: print(f'  {table}: {rows} rows', file=sys.stderr)
                          if rows % 10_000 == 0 else None)
    except MoveProblem as error:
        print(f'byte: the database was not moved: {error}', file=sys.stderr)
        return 1
    for table, count in report.counts.items():
        print(f'  {table:<22} {count:>9} rows, the same on both sides')
    print(f'Moved {report.total_rows} rows. Byte uses the new database from its next start; the built-in file '
          'stays where it was, untouched.')
    return 0


def stopped_by_signal(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def announce(host: str, port: int, new_token: str | None) -> None:
    """On every start, the dashboard's address; with a new admin token its login link, shown once, on the console
    only (never through logging): the token is in the URL's #fragment, which the browser keeps to itself, so it
    never reaches a server or proxy log."""
    from app.desktop_window import local_address

    address = f'{local_address(host, port)}/'
    if new_token:
        text = f'  Byte admin login (shown once; keep it private):\n  {address}login#token={new_token}'
    else:
        text = (f'  Dashboard: {address}\n  Not logged in on this browser? Stop Byte and start it with '
                '--new-admin-token for a new login link (other sessions are logged out).')
    print(f'\n{text}\n', file=sys.stderr, flush=True)


if __name__ == '__main__':
    # In the packaged build the native window's process is this same program started again: without this it would
    # start a second Byte instead of the window (a known NiceGUI packaging pitfall).
    multiprocessing.freeze_support()
    sys.exit(main())
