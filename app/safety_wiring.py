"""Builds the safety gate of a System: its records writer, the optional moderation model and AutoMod check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from persistence.write_behind import WriteBehind
from runtime.safety.automod import AutoModCheck
from runtime.safety.broadcaster_grants import BroadcasterGrants
from runtime.safety.gate import SafetyGate
from runtime.safety.remote import ModerationModel, RemoteChecks

if TYPE_CHECKING:
    from app.system import System

RECORDS_QUEUE = 10_000  # refusals wait here while the database is away; an attack flood past it is only counted


def build_safety(system: System) -> SafetyGate:
    settings = system.settings
    writer = WriteBehind(system.repositories.safety.insert_many, name='safety', flush_seconds=0.5,
                         queue_limit=RECORDS_QUEUE)

    def broadcaster_id(login: str) -> str | None:
        runtime = system.channels.get(login)
        return runtime.twitch_user_id if runtime else None

    grants = BroadcasterGrants(system.repositories, system.clock, system.account.app)
    automod = AutoModCheck(system.account, grants, settings.twitch_helix_url, settings.twitch_client_id,
                           system.clock, broadcaster_id)
    remote = RemoteChecks(ModerationModel(system.repositories), automod)
    return SafetyGate(system.channels, system.repositories, system.clock, writer, remote,
                      global_words=tuple(settings.blocked_words))

