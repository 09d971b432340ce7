"""The safety gate: the one owner every outgoing text passes, whatever produced it (a reply, auto-chat, an
approved queue item, a built-in answer, a clip link, an overlay item).

`check` runs the local stages (characters, then every filter on the folded form) and is what Outbound calls for
each message; `review` adds the optional remote checks (a moderation model, Twitch AutoMod) for texts a model
wrote. A refused or rewritten text is recorded with its reason, channel and viewer (stored as long as chat
history, shown on the dashboard's Safety tab) and counted. Each channel's own settings (words to block, domains to
allow, the remote checks) and the refusal choice (a short neutral line or silence) are owned here and written
through before a change is reported as done.

Events: `recorded(record)` for each text refused or rewritten."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from nicegui import Event

from persistence.models.safety import ChannelSafety, SafetyEvent
from persistence.repositories import Repositories
from persistence.write_behind import WriteBehind
from runtime.channels import Channels
from runtime.clock import Clock
from runtime.safety.remote import RemoteChecks
from runtime.safety.verdict import Policy, Verdict, judge, refused
from runtime.safety.words import BlockList
from runtime.storage import in_database
from runtime.views import StoredRefusal

log = logging.getLogger(__name__)

REFUSAL_MODE, REFUSAL_LINE = 'safety_refusal_mode', 'safety_refusal_line'
DEFAULT_REFUSAL_LINE = "I'll sit that one out."
MAX_WORDS, MAX_DOMAINS, MAX_ENTRY = 200, 100, 60


@dataclass(frozen=True)
class SafetyRecord:
    at: datetime
    channel: str
    origin: str
    viewer: str
    verdict: str
    reasons: tuple[str, ...]
    text: str  # what Byte was about to say
    sent_text: str = ''  # what went out instead (the cleaned text, or the neutral line)


@dataclass
class ChannelSettings:
    blocked_words: list[str] = field(default_factory=list)
    allowed_domains: list[str] = field(default_factory=list)
    use_moderation_model: bool = False
    use_automod: bool = False


class SafetyGate:
    def __init__(self, channels: Channels, repositories: Repositories, clock: Clock, writer: WriteBehind,
                 remote: RemoteChecks, global_words: tuple[str, ...] = ()) -> None:
        self.channels = channels
        self.repositories = repositories
        self.clock = clock
        self.writer = writer
        self.remote = remote
        self.global_words = global_words
        self.refusal_mode = 'line'  # or 'silence'
        self.refusal_line = DEFAULT_REFUSAL_LINE
        self.recorded: Event[[SafetyRecord]] = Event()
        self.counts: Counter[str] = Counter()  # since start: checked, sent, rewritten, refused
        self._settings: dict[int, ChannelSettings] = {}

    async def start(self) -> None:
        """Load the settings and start storing records; build the word lists and tables the stages would build on
        first use (about 0.1 s, while nothing else runs yet: the first answer must not wait for them)."""
        self.writer.start()
        _load_everything()
        if self.remote.automod is not None:
            await self.remote.automod.grants.load()
        await self.remote.moderation.load()
        rows = await in_database(self.repositories.safety.channel_settings)
        self._settings = {channel_id: _settings_of(row) for channel_id, row in rows.items()}
        mode = await in_database(self.repositories.settings.get, REFUSAL_MODE)
        line = await in_database(self.repositories.settings.get, REFUSAL_LINE)
        self.refusal_mode = mode if mode in {'line', 'silence'} else 'line'
        self.refusal_line = line or DEFAULT_REFUSAL_LINE

    async def stop(self) -> None:
        """Stop any authorisation in progress and store what is still queued."""
        if self.remote.automod is not None:
            await self.remote.automod.grants.stop()
        await asyncio.to_thread(self.writer.stop)

    # -- the gate ---------------------------------------------------------------------------------------------

    def policy(self, channel: str | None) -> Policy:
        runtime = self.channels.get(channel) if channel else None
        streamers = frozenset(joined.login for joined in self.channels.joined())
        if runtime is None:
            return Policy(blocked_words=BlockList.of(self.global_words), streamers=streamers)
        settings = self._settings.get(runtime.channel_id, ChannelSettings())
        return Policy(streamer=runtime.login, streamers=streamers, notes=runtime.notes, allow_links=runtime.allow_links,
                      allowed_domains=frozenset(settings.allowed_domains),
                      blocked_words=BlockList.of((*self.global_words, *settings.blocked_words)),
                      use_moderation_model=settings.use_moderation_model, use_automod=settings.use_automod)

    def judge(self, channel: str | None, text: str, link_domains: frozenset[str] = frozenset()) -> Verdict:
        """The local verdict, without recording it (a dry run for the dashboard and the API)."""
        return _judged(text, self.policy(channel), link_domains)

    def check(self, channel: str | None, text: str, *, origin: str, viewer: str = '',
              link_domains: frozenset[str] = frozenset(), answers_viewer: bool = False) -> Verdict:
        """The local stages for one text about to be sent; a refusal or rewrite is recorded. A refused answer to a
        viewer carries the neutral line as its replacement when the streamer chose one."""
        verdict = self._with_replacement(self.judge(channel, text, link_domains), answers_viewer)
        self._record(channel, text, verdict, origin, viewer)
        return verdict

    async def review(self, channel: str | None, text: str, *, origin: str, viewer: str = '',
                     answers_viewer: bool = False, private: str = '') -> Verdict:
        """`check`, then the channel's remote checks (when it has any) on what passed. `private`: more text that
        must not be repeated, guarded like the streamer's notes (the private memories the answer's prompt held)."""
        policy = self.policy(channel)
        if private:
            policy = replace(policy, notes=f'{policy.notes}\n{private}'.strip())
        verdict = _judged(text, policy)
        if not verdict.is_refused and channel and (policy.use_moderation_model or policy.use_automod):
            reason = await self.remote.flag(channel, verdict.text, moderation_model=policy.use_moderation_model,
                                            automod=policy.use_automod)
            if reason:
                verdict = Verdict(outcome='refused', text='', reasons=(reason,), fingerprint=verdict.fingerprint)
        verdict = self._with_replacement(verdict, answers_viewer)
        self._record(channel, text, verdict, origin, viewer)
        return verdict

    def _with_replacement(self, verdict: Verdict, answers_viewer: bool) -> Verdict:
        if verdict.is_refused and answers_viewer and self.refusal_mode == 'line':
            return replace(verdict, replacement=self.refusal_line)
        return verdict

    # -- settings ---------------------------------------------------------------------------------------------

    def channel_settings(self, login: str) -> ChannelSettings:
        runtime = self.channels.get(login)
        if runtime is None:
            raise KeyError(f'#{login} is not joined')
        return self._settings.get(runtime.channel_id, ChannelSettings())

    async def set_channel_settings(self, login: str, *, blocked_words: list[str] | None = None,
                                   allowed_domains: list[str] | None = None, use_moderation_model: bool | None = None,
                                   use_automod: bool | None = None, reason: str) -> ChannelSettings:
        """Change a channel's safety settings (what is None stays); written through, then in effect."""
        runtime = self.channels.get(login)
        if runtime is None:
            raise KeyError(f'#{login} is not joined')
        current = self._settings.get(runtime.channel_id, ChannelSettings())
        fields = {
            'blocked_words': clean_words(blocked_words) if blocked_words is not None else current.blocked_words,
            'allowed_domains': clean_domains(allowed_domains) if allowed_domains is not None
            else current.allowed_domains,
            'use_moderation_model': current.use_moderation_model if use_moderation_model is None
            else use_moderation_model,
            'use_automod': current.use_automod if use_automod is None else use_automod,
        }
        row = await in_database(self.repositories.safety.save_channel, runtime.channel_id, **fields)
        self._settings[runtime.channel_id] = _settings_of(row)
        log.info('#%s safety settings saved (%s)', runtime.login, reason)
        return self._settings[runtime.channel_id]

    async def set_refusal(self, mode: str, line: str | None, reason: str) -> None:
        """How a refused answer ends: 'line' (a short neutral line) or 'silence'."""
        if mode not in {'line', 'silence'}:
            raise ValueError("the refusal is 'line' or 'silence'")
        line = ' '.join((line if line is not None else self.refusal_line).split())
        if not line or len(line) > 200:
            raise ValueError('the neutral line needs 1 to 200 characters')
        verdict = self.judge(None, line)
        if verdict.is_refused:
            raise ValueError(f'the neutral line itself does not pass the safety gate ({", ".join(verdict.reasons)})')
        await in_database(self.repositories.settings.set, REFUSAL_MODE, mode)
        await in_database(self.repositories.settings.set, REFUSAL_LINE, verdict.text)
        self.refusal_mode, self.refusal_line = mode, verdict.text
        log.info('safety refusal set to %s (%s)', mode, reason)

    async def summary(self, channel: str | None = None, hours: float = 24.0) -> dict[str, Any]:
        """How many texts were refused or rewritten in the last `hours` (per reason, channel and verdict, from the
        database), and since Byte started (counted here)."""
        since = self.clock.now() - timedelta(hours=hours)
        stored = await in_database(self.repositories.safety.counts, since, channel)
        return {'hours': hours, **stored, 'since_start': dict(self.counts),
                'records_not_stored': self.writer.dropped}  # past the records queue while the database was away

    async def events(self, *, channel: str | None = None, reason: str | None = None, limit: int = 50,
                     before_id: int | None = None) -> list[SafetyEvent]:
        """The stored refusals and rewrites, newest first (the texts are for the streamer's eyes only)."""
        return await in_database(self.repositories.safety.recent, channel=channel, reason=reason, limit=limit,
                                 before_id=before_id)

    async def records(self, *, channel: str | None = None, limit: int = 50) -> list[StoredRefusal]:
        """The same, as the dashboard shows them."""
        return [StoredRefusal.of(event) for event in await self.events(channel=channel, limit=limit)]

    # -- records ----------------------------------------------------------------------------------------------

    def _record(self, channel: str | None, text: str, verdict: Verdict, origin: str, viewer: str) -> None:
        self.counts['checked'] += 1
        self.counts[verdict.outcome] += 1
        if verdict.outcome == 'sent':
            return
        for reason in verdict.reasons:
            self.counts[f'reason:{reason}'] += 1
        if verdict.is_refused:
            log.info('#%s: %s refused (%s)', channel or '-', origin, ', '.join(verdict.reasons))
        record = SafetyRecord(at=self.clock.now(), channel=channel or '', origin=origin[:40], viewer=viewer[:64],
                              verdict=verdict.outcome, reasons=verdict.reasons + verdict.details, text=text,
                              sent_text=verdict.replacement or verdict.text)
        self.recorded.emit(record)
        self.writer.submit({
            'at': record.at, 'channel': record.channel[:25], 'origin': record.origin, 'viewer': record.viewer,
            'verdict': record.verdict, 'reason': (record.reasons or ('',))[0][:40],
            'reasons': ', '.join(record.reasons)[:300], 'text': storable(record.text)[:2000],
            'sent_text': storable(record.sent_text)[:500],
        })


def _judged(text: str, policy: Policy, link_domains: frozenset[str] = frozenset()) -> Verdict:
    try:
        return judge(text, policy, link_domains)
    except Exception:  # a filter failing must never let a text through
        log.exception('the safety gate failed on a text; it is refused')
        return refused('gate error')


def _load_everything() -> None:
    judge('Olá! Ação e free-nitro.gift, um teste.', Policy(notes='warm: up-123', blocked_words=BlockList.of(['x'])))


def storable(text: str) -> str:
    """Any text as a database can keep it: lone surrogates and NUL become U+FFFD (the record shows they were
    there)."""
    return text.encode('utf-8', 'surrogatepass').decode('utf-8', 'replace').replace('\x00', '\ufffd') \
        if not text.isascii() or '\x00' in text else text


def clean_words(words: list[str]) -> list[str]:
    cleaned = list(dict.fromkeys(' '.join(word.split())[:MAX_ENTRY] for word in words if word.strip()))
    if len(cleaned) > MAX_WORDS:
        raise ValueError(f'at most {MAX_WORDS} blocked words')
    return cleaned


def clean_domains(domains: list[str]) -> list[str]:
    cleaned: list[str] = []
    for domain in domains:
        value = domain.strip().lower().removeprefix('https://').removeprefix('http://').split('/', 1)[0]
        value = value.removeprefix('www.').strip('.')
        if not value:
            continue
        if '.' not in value or len(value) > 253 or any(char.isspace() for char in value):
            raise ValueError(f'not a domain: {domain[:60]!r} (write it like twitch.tv)')
        cleaned.append(value)
    if len(cleaned) > MAX_DOMAINS:
        raise ValueError(f'at most {MAX_DOMAINS} allowed domains')
    return list(dict.fromkeys(cleaned))


def _settings_of(row: ChannelSafety) -> ChannelSettings:
    return ChannelSettings(blocked_words=list(row.blocked_words), allowed_domains=list(row.allowed_domains),
                           use_moderation_model=row.use_moderation_model, use_automod=row.use_automod)
