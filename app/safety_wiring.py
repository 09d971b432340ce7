"""Builds the safety gate from Byte's settings: its records writer, the optional moderation model and AutoMod."""

from __future__ import annotations

from app.settings import Settings
from persistence.repositories import Repositories
from persistence.write_behind import WriteBehind
from runtime.channels import Channels
from runtime.clock import Clock
from runtime.safety.automod import AutoModCheck
from runtime.safety.gate import SafetyGate
from runtime.safety.remote import ModerationModel, RemoteChecks
from runtime.twitch.account import TwitchAccount
from runtime.twitch.broadcaster_grants import BroadcasterGrants

RECORDS_QUEUE = 10_000  # refusals wait here while the database is away; an attack flood past it is only counted


def build_safety(settings: Settings, repositories: Repositories, channels: Channels, account: TwitchAccount,
                 grants: BroadcasterGrants, clock: Clock) -> SafetyGate:
    writer = WriteBehind(repositories.safety.insert_many, name='safety', flush_seconds=0.5, queue_limit=RECORDS_QUEUE)
    automod = AutoModCheck(account, grants, settings.twitch_helix_url, clock, channels.broadcaster_id)
    remote = RemoteChecks(ModerationModel(repositories), automod)
    return SafetyGate(channels, repositories, clock, writer, remote, global_words=tuple(settings.blocked_words))
