"""Outbound: the one place every message Byte sends goes through.

Every text passes the safety gate first, when it is requested: a refused text is never queued (an answer to a
viewer may go out as the streamer's neutral line instead), a rewritten one is queued as rewritten.

Rules, checked when a message is about to go out (not when it was queued):
- Twitch's limits, counted per sending account and per channel over 30 s: 20 messages where the bot is not a
  moderator or the broadcaster, 100 where it is; Byte keeps a margin below both;
- at least 1 s between two messages in one channel, and never the same text twice in a channel within 30 s
  (compared as the gate reads them, so an invisible character or a look-alike letter does not make it new);
- nothing longer than Twitch's 500 characters (refused when requested);
- the global suspend flag and the channel's pause flag (a panic empties what is queued, it never slips out).
A full channel queue drops its oldest unsent automatic message first. Every outcome is recorded.

Events: `recorded(outcome)` for each message sent, rejected by Twitch, refused or dropped."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from nicegui import Event

from runtime.background import Background
from runtime.clock import Clock
from runtime.control.send_permission import SendBlock
from runtime.safety.gate import SafetyGate
from runtime.safety.matching import fingerprint
from runtime.transports.base import ChatTransport

log = logging.getLogger(__name__)

MAX_LENGTH = 500
WINDOW_SECONDS = 30.0
LIMIT_REGULAR = 18  # Twitch: 20 per 30 s; a margin of two
LIMIT_MODERATOR = 90  # Twitch: 100 per 30 s
MIN_GAP_SECONDS = 1.05  # Twitch: 1 s between messages in one channel
DUPLICATE_SECONDS = 31.0  # Twitch drops an identical message within 30 s (msg_duplicate)
QUEUE_LIMIT = 20  # per channel
SEND_TIMEOUT_SECONDS = 15.0

BlockCheck = Callable[[str], str | None]  # channel -> reason not to send now, or None


@dataclass
class Outgoing:
    channel: str
    text: str
    is_automatic: bool
    origin: str
    reply_to: str | None = None
    attempted: str = ''  # the text as it was asked for, before the safety gate
    fingerprint: str = ''  # the text as the gate reads it, for the duplicate rule
    safety: str = 'sent'  # the gate's verdict: sent, rewritten, or refused (then `text` is the neutral line, if any)
    safety_reasons: tuple[str, ...] = ()
    outcome: asyncio.Future[OutboundRecord] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


@dataclass(frozen=True)
class OutboundRecord:
    at: datetime
    channel: str
    origin: str
    outcome: str  # sent, rejected (by Twitch), refused (never queued), dropped (left the queue unsent)
    reason: str = ''
    message_id: str | None = None
    text: str = ''  # what went (or would have gone) to Twitch
    attempted: str = ''  # what was asked for, when the safety gate changed or refused it
    safety: str = 'sent'  # the safety gate's verdict on what was asked for
    safety_reasons: tuple[str, ...] = ()


class Outbound:
    def __init__(self, transport: ChatTransport, clock: Clock, block_check: BlockCheck,
                 is_moderator: Callable[[str], bool], gate: SafetyGate, queue_limit: int = QUEUE_LIMIT,
                 suspended: Event[[str]] | None = None) -> None:
        self.transport = transport
        self.gate = gate
        self.queue_limit = queue_limit
        self.clock = clock
        self.block_check = block_check
        self.is_moderator = is_moderator
        self.recorded: Event[[OutboundRecord]] = Event()
        self.history: deque[OutboundRecord] = deque(maxlen=300)
        self.counts: dict[str, int] = {'sent': 0, 'rejected': 0, 'refused': 0, 'dropped': 0}
        self._queues: dict[str, deque[Outgoing]] = {}
        self._account_sends: deque[float] = deque()
        self._channel_sends: dict[str, deque[float]] = {}
        self._recent_texts: dict[str, deque[tuple[float, str]]] = {}
        self._wakeup = asyncio.Event()
        self._sender = Background('outbound')
        self._is_closed = False
        if suspended is not None:  # PANIC: nothing queued goes out, even once Byte is resumed
            suspended.subscribe(lambda _reason: self.discard_queued(None, SendBlock.SUSPENDED))

    # -- asking -----------------------------------------------------------------------------------------------

    def request(self, channel: str, text: str, *, origin: str, is_automatic: bool, reply_to: str | None = None,
                viewer: str = '', link_domains: frozenset[str] = frozenset(), answers_viewer: bool = False) -> Outgoing:
        """Queue a message once the safety gate passed it. Its `outcome` future resolves when it was sent, rejected,
        refused or dropped. `answers_viewer`: a refused text may be replaced by the streamer's neutral line."""
        verdict = self.gate.check(channel, text, origin=origin, viewer=viewer, link_domains=link_domains,
                                  answers_viewer=answers_viewer)
        sendable = verdict.replacement if verdict.is_refused else verdict.text
        item = Outgoing(channel=channel, text=sendable or '', is_automatic=is_automatic, origin=origin,
                        reply_to=reply_to, attempted=text, safety=verdict.outcome, safety_reasons=verdict.reasons,
                        fingerprint=fingerprint(sendable) if verdict.is_refused and sendable else verdict.fingerprint)
        if self._is_closed:
            self._finish(item, 'dropped', 'shutting down')
        elif verdict.is_refused and not sendable:
            self._finish(item, 'refused', f'safety: {", ".join(verdict.reasons)}')
        elif not item.text:
            self._finish(item, 'refused', 'empty')
        elif len(item.text) > MAX_LENGTH:
            self._finish(item, 'refused', f'longer than {MAX_LENGTH} characters')
        else:
            self._enqueue(item)
        return item

    def pending(self, channel: str | None = None) -> int:
        queues = [self._queues.get(channel, deque())] if channel else list(self._queues.values())
        return sum(len(queue) for queue in queues)

    def discard_queued(self, channel: str | None, reason: str) -> int:
        """Drop everything queued (for one channel, or all): used by panic and pause."""
        dropped = 0
        for name, queue in self._queues.items():
            if channel is None or name == channel:
                while queue:
                    self._finish(queue.popleft(), 'dropped', reason)
                    dropped += 1
        return dropped

    def _enqueue(self, item: Outgoing) -> None:
        queue = self._queues.setdefault(item.channel, deque())
        if len(queue) >= self.queue_limit:
            oldest_automatic = next((queued for queued in queue if queued.is_automatic), None)
            if oldest_automatic is not None:
                queue.remove(oldest_automatic)
                self._finish(oldest_automatic, 'dropped', 'queue full')
            else:
                self._finish(item, 'refused', 'queue full')
                return
        queue.append(item)
        self._wakeup.set()

    # -- sending ----------------------------------------------------------------------------------------------

    def start(self) -> None:
        self._is_closed = False
        self._sender.start(self._run)

    async def pause(self) -> None:
        """Stop sending but keep the queue (requests still queue up); `start()` carries on."""
        await self._sender.stop()

    async def stop(self) -> None:
        """Stop for good: what is queued is dropped and later requests are refused, so nobody waits forever."""
        self._is_closed = True
        await self.pause()
        self.discard_queued(None, 'shutting down')

    async def _run(self) -> None:
        while True:
            try:
                channel, wait = self._next_ready()
                if channel is None:
                    self._wakeup.clear()
                    await self._wakeup.wait()
                elif wait > 0:
                    await self._pause(wait)
                else:
                    await self._send_next(channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # the one sender must outlive any single failure
                log.exception('outbound sender failed; carrying on')
                await self.clock.sleep(1.0)

    def _next_ready(self) -> tuple[str | None, float]:
        """The channel whose head message may go first, and how long until it may."""
        best: tuple[str | None, float] = (None, 0.0)
        for channel, queue in self._queues.items():
            if queue:
                wait = self._wait_for(channel)
                if best[0] is None or wait < best[1]:
                    best = (channel, wait)
        return best

    def _wait_for(self, channel: str) -> float:
        now = self.clock.monotonic()
        limit = LIMIT_MODERATOR if self.is_moderator(channel) else LIMIT_REGULAR
        waits = [0.0]
        for sends in (self._account_sends, self._channel_sends.get(channel, deque())):
            recent = [at for at in sends if at > now - WINDOW_SECONDS]
            if len(recent) >= limit:
                waits.append(recent[-limit] + WINDOW_SECONDS - now)
        channel_sends = self._channel_sends.get(channel)
        if channel_sends:
            waits.append(channel_sends[-1] + MIN_GAP_SECONDS - now)
        return max(waits)

    async def _pause(self, seconds: float) -> None:
        sleeper = asyncio.ensure_future(self.clock.sleep(seconds))
        waker = asyncio.ensure_future(self._wakeup.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:  # a stop cancels this wait: neither helper may outlive it
            sleeper.cancel()
            waker.cancel()
        self._wakeup.clear()

    async def _send_next(self, channel: str) -> None:
        item = self._queues[channel].popleft()
        if reason := self.block_check(channel):
            self._finish(item, 'dropped', reason)
            return
        now = self.clock.monotonic()
        recent = self._recent_texts.setdefault(channel, deque())
        while recent and recent[0][0] <= now - DUPLICATE_SECONDS:
            recent.popleft()
        if any(key == item.fingerprint for _, key in recent):
            self._finish(item, 'dropped', 'identical message within 30 s')
            return
        self._account_sends.append(now)
        self._channel_sends.setdefault(channel, deque()).append(now)
        for sends in (self._account_sends, self._channel_sends[channel]):
            while sends and sends[0] <= now - WINDOW_SECONDS:
                sends.popleft()
        recent.append((now, item.fingerprint))
        try:
            async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                result = await self.transport.send(channel, item.text, reply_to=item.reply_to)
        except asyncio.CancelledError:
            self._finish(item, 'dropped', 'shutting down')
            raise
        except TimeoutError:
            self._finish(item, 'rejected', f'Twitch did not answer within {SEND_TIMEOUT_SECONDS:.0f} s')
            return
        except Exception as error:  # a transport failure is an outcome to record, not a crash of the sender
            self._finish(item, 'rejected', f'{type(error).__name__}: {error}'[:200])
            return
        if result.is_sent:
            self._finish(item, 'sent', '', result.message_id)
        else:
            self._finish(item, 'rejected', result.reason or 'refused by Twitch')

    def restore_history(self, records: list[OutboundRecord]) -> None:
        """Earlier runs' records, oldest first, before this run's (they are not announced again)."""
        self.history.extendleft(reversed(records))

    def _finish(self, item: Outgoing, outcome: str, reason: str, message_id: str | None = None) -> None:
        record = OutboundRecord(at=self.clock.now(), channel=item.channel, origin=item.origin, outcome=outcome,
                                reason=reason, message_id=message_id, text=item.text,
                                attempted=item.attempted if item.attempted != item.text else '', safety=item.safety,
                                safety_reasons=item.safety_reasons)
        self.history.append(record)
        self.counts[outcome] += 1
        if outcome != 'sent':
            log.info('message to #%s %s: %s (%s)', item.channel, outcome, reason, item.origin)
        if not item.outcome.done():
            item.outcome.set_result(record)
        self.recorded.emit(record)
