"""Where the dashboard opens: when a native window can be tried, and the one-time login ticket of the window."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlmodel import SQLModel, create_engine

from app.desktop_window import local_address, native_problem
from persistence.repositories.install import SecretRepository
from runtime.credentials import Credentials


def test_a_native_window_is_tried_only_where_one_can_open() -> None:
    assert native_problem({'DISPLAY': ':0'}, 'linux') == ''  # pywebview and Qt WebEngine are installed for tests
    assert native_problem({'WAYLAND_DISPLAY': 'wayland-0'}, 'linux') == ''
    assert 'no graphical display' in native_problem({}, 'linux')
    assert 'no graphical display' in native_problem({'DISPLAY': ''}, 'linux')
    assert native_problem({}, 'win32') == '' and native_problem({}, 'darwin') == ''  # their web view is the system's


def test_the_window_address_is_the_local_one_whatever_the_server_listens_on() -> None:
    assert local_address('0.0.0.0', 8080) == 'http://127.0.0.1:8080'
    assert local_address('::1', 9000) == 'http://[::1]:9000'
    assert local_address('127.0.0.1', 8080) == 'http://127.0.0.1:8080'


def credentials(tmp_path: Path) -> Credentials:
    engine = create_engine(f'sqlite:///{tmp_path / "c.sqlite3"}')
    SQLModel.metadata.create_all(engine)
    made = Credentials(SecretRepository(engine), configured_admin_token=None)
    made.prepare()
    return made


def test_a_login_ticket_works_once_within_its_lifetime_and_is_never_stored(tmp_path: Path) -> None:
    owner = credentials(tmp_path)
    ticket = owner.new_login_ticket()
    assert not owner.redeem_login_ticket(ticket[:-1]) and not owner.redeem_login_ticket('') \
        and not owner.redeem_login_ticket(None)
    assert owner.redeem_login_ticket(ticket)
    assert not owner.redeem_login_ticket(ticket), 'used up'
    expired = owner.new_login_ticket(lifetime_seconds=-1)
    assert not owner.redeem_login_ticket(expired)
    assert not owner.verify_admin(owner.new_login_ticket()), 'a ticket is not the admin token'
    with sqlite3.connect(tmp_path / 'c.sqlite3') as database:
        tables = [name for (name,) in database.execute("select name from sqlite_master where type = 'table'")]
        stored = ' '.join(str(value) for table in tables for row in database.execute(f'select * from "{table}"')
                          for value in row)
    assert owner.overlay_key in stored, 'the check reads the stored secrets'
    assert ticket not in stored and expired not in stored
