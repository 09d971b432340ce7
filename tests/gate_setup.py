"""A real safety gate for tests that need one without a whole System: real repositories on a SQLite file."""

from __future__ import annotations

from pathlib import Path

from persistence.database import create_database_engine, resolve_database_url
from persistence.migrate import upgrade_to_head
from persistence.repositories import Repositories
from persistence.write_behind import WriteBehind
from runtime.channels import Channels
from runtime.clock import Clock, ManualClock
from runtime.safety.gate import SafetyGate
from runtime.safety.remote import ModerationModel, RemoteChecks
from runtime.transports.base import ChatTransport


def real_gate(folder: Path, transport: ChatTransport, clock: Clock | None = None) -> SafetyGate:
    folder.mkdir(parents=True, exist_ok=True)
    engine = create_database_engine(resolve_database_url(None, folder))
    upgrade_to_head(engine)
    repositories = Repositories.on(engine)
    writer = WriteBehind(repositories.safety.insert_many, name='safety')
    return SafetyGate(Channels(repositories, transport), repositories, clock or ManualClock(), writer,
                      RemoteChecks(ModerationModel(repositories)))
