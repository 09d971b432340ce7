"""Reply path: Byte's own time on the way to the language model and back, the model's time excluded.

A trigger line goes in through the transport; the loopback LLM (on a thread of its own, answering at once)
notes when each request arrives and when it answers; the transport notes when Byte calls its send. Reported:
arrival -> LLM request received, and LLM answer -> send call, p50/p99. The bot is a moderator in 20 channels
and triggers come 0.4 s apart, so Twitch's limits (90 per 30 s for the account, 1 s between two messages in a
channel) never hold a reply back: what is measured is Byte's own work.

    .venv/bin/python bench/reply_path.py [--triggers 100] [--interval 0.4]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_system, percentile, table
from runtime.chat import ChatLine
from runtime.transports.base import SendResult
from tests.fakes.llm import FakeLlm
from tests.fakes.threaded import ThreadLoop

CHANNELS = [f'reply_bench_{index}' for index in range(20)]
TOKEN = re.compile(r'q(\d+)x')


class Clocked:
    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}  # token -> line delivered to Byte
        self.requested: dict[str, float] = {}  # token -> LLM request received
        self.answered: dict[str, float] = {}  # token -> LLM answer sent
        self.sent: dict[str, float] = {}  # token -> Byte called send

    def reply(self, body: dict[str, Any]) -> str:
        now = time.perf_counter()
        found = TOKEN.findall(str(body.get('messages', [])[-1:]))
        token = found[-1] if found else '?'
        self.requested[token] = now
        self.answered[token] = time.perf_counter()
        return f'Here is the answer to q{token}x, short and sweet.'


async def run(triggers: int, interval: float) -> Clocked:
    clocked = Clocked()
    thread = ThreadLoop()
    llm = thread.call(FakeLlm(reply=clocked.reply).start())
    try:
        data_dir = Path(tempfile.mkdtemp(prefix='byte-bench-reply-'))
        async with bench_system(data_dir, None, llm_base_url=llm.base_url, twitch_mode='simulator',
                                twitch_channels=' '.join(CHANNELS), viewer_cooldown_seconds=0) as byte:
            transport = byte.transport.inner
            transport.moderator_channels.update(CHANNELS)
            original_send = transport.send

            async def timed_send(login: str, text: str, reply_to: str | None = None) -> SendResult:
                for token in TOKEN.findall(text):
                    clocked.sent.setdefault(token, time.perf_counter())
                return await original_send(login, text, reply_to)

            transport.send = timed_send  # type: ignore[method-assign]
            for index in range(triggers):
                line = ChatLine(channel=CHANNELS[index % len(CHANNELS)], message_id=f'reply-{index}',
                                author=f'viewer{index}', author_id=f'id-viewer{index}',
                                text=f'byte what is the plan for q{index}x today?', sent_at=datetime.now(UTC))
                clocked.arrived[str(index)] = time.perf_counter()
                transport.deliver(line)
                await asyncio.sleep(interval)
            await byte.dispatcher.idle()
            for _ in range(100):
                if len(clocked.sent) >= triggers:
                    break
                await asyncio.sleep(0.05)
    finally:
        thread.call(llm.stop())
    return clocked


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--triggers', type=int, default=100)
    parser.add_argument('--interval', type=float, default=0.4)
    args = parser.parse_args()
    clocked = asyncio.run(run(args.triggers, args.interval))
    outbound = [(clocked.requested[token] - clocked.arrived[token]) * 1000 for token in clocked.requested
                if token in clocked.arrived]
    inbound = [(clocked.sent[token] - clocked.answered[token]) * 1000 for token in clocked.sent
               if token in clocked.answered]
    table([
        ('triggers', str(args.triggers)),
        ('answered and sent', str(len(inbound))),
        ('arrival -> LLM request p50', f'{percentile(outbound, 0.5):.2f} ms'),
        ('arrival -> LLM request p99', f'{percentile(outbound, 0.99):.2f} ms'),
        ('LLM answer -> send call p50', f'{percentile(inbound, 0.5):.2f} ms'),
        ('LLM answer -> send call p99', f'{percentile(inbound, 0.99):.2f} ms'),
    ], 'reply path overhead (the LLM answers at once, on its own thread)')


if __name__ == '__main__':
    main()
