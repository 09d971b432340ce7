"""A problem report: one zip a streamer can send to whoever helps them, with Byte's version, its settings (no
secret), its health and its recent log, and no token, key or password in any of it: every secret Byte knows is
blanked out of every file before the zip is written, whatever a log line might have carried."""

from __future__ import annotations

import io
import json
import logging
import platform
import sys
import zipfile
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from persistence.database import safe_description

if TYPE_CHECKING:
    from app.system import System

BLANK = '[secret]'
SHORTEST_SECRET = 8  # shorter values (a port, 'yes') are no secret and would blank half the report


def known_secrets(system: System) -> list[str]:
    """Every secret value Byte holds: settings, stored secrets, Twitch tokens, the database password."""
    values = [value.get_secret_value() for value in system.settings.__dict__.values() if isinstance(value, SecretStr)]
    values += [system.new_admin_token or '', system.credentials.overlay_key, system.database_url.password or '']
    values += system.repositories.secrets.values()
    if token := system.repositories.tokens.current():
        values += [token.access_token, token.refresh_token or '']
    return sorted({value for value in values if len(value) >= SHORTEST_SECRET}, key=len, reverse=True)


def blank_secrets(text: str, secrets: list[str]) -> str:
    for secret in secrets:  # longest first, so a secret containing another is blanked whole
        text = text.replace(secret, BLANK)
    return text


def visible_settings(system: System) -> dict[str, Any]:
    settings = system.settings.model_dump(mode='json')
    for name, value in system.settings.__dict__.items():
        if isinstance(value, SecretStr):
            settings[name] = BLANK
    settings['database_url'] = safe_description(system.database_url)
    return settings


def build_report(system: System) -> bytes:
    """The zip's bytes (call it off the event loop: it reads the database)."""
    facts = {
        'byte_version': system.version, 'python': sys.version.split()[0], 'platform': platform.platform(),
        'made_at': system.clock.now().isoformat(),
        'status': {'state': system.status.state, 'reason': system.status.reason},
        'database': {'backend': system.database.backend, 'description': system.database.description,
                     'reachable': system.database.is_reachable, 'error': system.database.error,
                     'waiting_rows': system.database.pending_rows},
        'transport': {'name': system.transport.status.name, 'state': system.transport.status.state,
                      'detail': system.transport.status.detail},
        'llm': {'state': system.llm.status.state, 'reason': system.llm.status.reason, 'model': system.llm.status.model},
        'channels': [runtime.login for runtime in system.channels.joined()],
        'settings': visible_settings(system),
    }
    log_text = '\n'.join(system.recent_log.lines(limit=2000, level=logging.DEBUG)) + '\n'
    secrets = known_secrets(system)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr('report.json', blank_secrets(json.dumps(facts, indent=2, default=str), secrets))
        bundle.writestr('recent-log.txt', blank_secrets(log_text, secrets))
    return buffer.getvalue()


def save_report(system: System) -> tuple[str, bytes]:
    """Build the report and keep a copy in the data folder's `reports/`; returns its file name and bytes."""
    content = build_report(system)
    folder = system.settings.data_dir / 'reports'
    folder.mkdir(parents=True, exist_ok=True)
    name = f'byte-problem-report-{system.clock.now():%Y%m%d-%H%M%S}.zip'
    (folder / name).write_bytes(content)
    return name, content
