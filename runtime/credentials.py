"""The install's credentials: the admin token (stored only as a hash), the overlay key, the session secret.

The overlay key is read-only access to /hud for OBS; it is different from the admin token and can be rotated.
A login ticket logs one window in once (Byte's own native window, or the browser it opens): it lives only in
memory, for a few minutes, so the admin token never has to be shown or renewed for it.

Events: `overlay_rotated()` once the overlay key has been replaced."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time

from nicegui import Event

from persistence.repositories.install import SecretRepository
from runtime.storage import in_database

log = logging.getLogger(__name__)

ADMIN_HASH = 'admin_token_sha256'
OVERLAY_KEY = 'overlay_key'
SESSION_SECRET = 'session_secret'
LOGIN_TICKET_SECONDS = 300.0


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Credentials:
    def __init__(self, repository: SecretRepository, configured_admin_token: str | None) -> None:
        self.repository = repository
        self.configured_admin_token = configured_admin_token
        self._admin_hash = ''
        self.overlay_key = ''
        self.session_secret = ''
        self.overlay_rotated: Event[[]] = Event()
        self._tickets: dict[str, float] = {}  # a login ticket's digest -> when it stops working (monotonic)

    def prepare(self) -> str | None:
        """Load or create the secrets. Returns a newly generated admin token (to show once), else None."""
        self.session_secret = self._get_or_create(SESSION_SECRET)
        self.overlay_key = self._get_or_create(OVERLAY_KEY)
        if self.configured_admin_token:
            self._admin_hash = _digest(self.configured_admin_token)
            return None
        stored = self.repository.get(ADMIN_HASH)
        if stored:
            self._admin_hash = stored
            return None
        return self.new_admin_token()

    def new_admin_token(self) -> str:
        """Generate and store a new admin token; every existing dashboard session is logged out."""
        if self.configured_admin_token:
            raise RuntimeError('the admin token comes from BYTE_ADMIN_TOKEN; change it there')
        token = secrets.token_urlsafe(32)
        self._admin_hash = _digest(token)
        self.repository.set(ADMIN_HASH, self._admin_hash)
        log.warning('a new admin token was generated; earlier dashboard sessions are logged out')
        return token

    def verify_admin(self, token: str | None) -> bool:
        return bool(token) and bool(self._admin_hash) and \
            hmac.compare_digest(_digest(token or '').encode(), self._admin_hash.encode())

    def new_login_ticket(self, lifetime_seconds: float = LOGIN_TICKET_SECONDS) -> str:
        """A ticket that logs one window in, once, within `lifetime_seconds`."""
        ticket = secrets.token_urlsafe(32)
        self._tickets[_digest(ticket)] = time.monotonic() + lifetime_seconds
        return ticket

    def redeem_login_ticket(self, ticket: str | None) -> bool:
        """True once for a ticket still in its lifetime; it cannot be used again."""
        now = time.monotonic()
        self._tickets = {digest: until for digest, until in self._tickets.items() if until > now}
        return self._tickets.pop(_digest(ticket or ''), 0.0) > now

    @property
    def admin_epoch(self) -> str:
        """Identifies the current admin token without revealing it; a session is valid only for the same epoch."""
        return hmac.new(self.session_secret.encode(), self._admin_hash.encode(), 'sha256').hexdigest()[:24]

    def verify_overlay(self, key: str | None) -> bool:
        return bool(key) and bool(self.overlay_key) and \
            hmac.compare_digest((key or '').encode(), self.overlay_key.encode())

    async def rotate_overlay_key(self, reason: str) -> str:
        key = secrets.token_urlsafe(24)
        await in_database(self.repository.set, OVERLAY_KEY, key)
        self.overlay_key = key
        log.info('overlay key rotated (%s); overlays using the old URL go blank', reason)
        self.overlay_rotated.emit()
        return key

    def _get_or_create(self, name: str) -> str:
        value = self.repository.get(name)
        if not value:
            value = secrets.token_urlsafe(32)
            self.repository.set(name, value)
        return value
