"""What the bot features cost each chat line, on the real path: a paced flood over EventSub (the fake Twitch in a
process of its own, a channel.chat.message notification a WebSocket frame, over a real socket) into a Byte running
in this process, with every chat filter on (blocked terms with the offensive-language list, links, caps, symbols,
emotes, repetition, length), 50 custom commands (5% of the lines use one) and first-line welcomes on.

Each line's time in the chat filters (ChatModerator.observe), the custom commands' lookup (CustomCommands.take) and
the first-line check (EventReactions.observe) is measured where the pipeline calls them, and summed per line. The
flood goes on past the history writer's batch and pause sizes. Target: at most 1 ms p99 per line at 1,000 lines/s.

    .venv/bin/python bench/bot_features.py [--rate 1000] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.settings import Settings
from app.system import System
from bench.common import table
from bench.flood_twitch import serve_in_process
from runtime.chat import ChatLine
from runtime.chat_filters.moderator import ChatModerator
from runtime.chat_filters.rules import DEFAULT_RULES, FilterSettings
from runtime.custom_commands.service import CustomCommands
from runtime.custom_commands.spec import CommandSpec
from runtime.reactions.rules import Reaction
from runtime.reactions.service import EventReactions

TARGET_MS = 1.0
COMMANDS = 50
CHANNEL = 'raid_channel_0'
spent: dict[str, list[float]] = {}  # message id -> [CPU seconds, wall seconds] in the bot features so far
by_part: dict[str, list[float]] = {}  # the CPU seconds of each call, by what was called
lines_seen: list[str] = []


def timed(method: Callable[..., Any]) -> Callable[..., Any]:
    """The CPU time of the calling thread is what the call costs; the wall time also holds whatever else ran
    meanwhile (the history writer's thread, the fake Twitch's process, the machine's other work)."""
    part = method.__qualname__

    def wrapper(self: Any, line: ChatLine, *args: Any) -> Any:
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            return method(self, line, *args)
        finally:
            cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            if not line.is_bot:
                if line.message_id not in spent:
                    lines_seen.append(line.message_id)
                    spent[line.message_id] = [0.0, 0.0]
                spent[line.message_id][0] += cpu
                spent[line.message_id][1] += wall
                by_part.setdefault(part, []).append(cpu)
    return wrapper


def instrument() -> None:
    """Time the three calls the pipeline makes for each line (the classes, before Byte binds them)."""
    ChatModerator.observe = timed(ChatModerator.observe)  # type: ignore[method-assign]
    CustomCommands.take = timed(CustomCommands.take)  # type: ignore[method-assign]
    EventReactions.observe = timed(EventReactions.observe)  # type: ignore[method-assign]


async def switch_everything_on(byte: Any) -> None:
    rules = {name: rule.__class__(**{**rule.__dict__, 'enabled': True}) for name, rule in DEFAULT_RULES.items()}
    await byte.moderator.save_settings(CHANNEL, FilterSettings(rules=rules, terms=('free nitro', 'buy follow*',
                                                                                   '/c[o0]ck/')))
    for number in range(COMMANDS):
        await byte.custom_commands.save(CHANNEL, CommandSpec(f'!cmd{number}', f'answer {number}, ${{user}}',
                                                             cooldown_seconds=0, user_cooldown_seconds=0), by='bench')
    settings = byte.reactions.settings(CHANNEL)
    await byte.reactions.save_settings(CHANNEL, settings.__class__(
        {**settings.reactions, 'first_chat': Reaction(True, 'Welcome, {user}!')}, settings.shoutout_on_raid,
        settings.ai_per_hour))


async def run(rate: float, seconds: float) -> tuple[int, float, list[list[float]]]:
    lines = int(rate * seconds)
    context = multiprocessing.get_context('spawn')
    control, their_end = context.Pipe()
    server = context.Process(target=serve_in_process, daemon=True,
                             args=(their_end, 'eventsub', [CHANNEL], lines, rate))
    server.start()
    os.environ.update(control.recv())
    data_dir = Path(tempfile.mkdtemp(prefix='byte-features-'))
    instrument()
    try:
        async with System(Settings(data_dir=data_dir, _env_file=None)).running() as byte:  # type: ignore[call-arg]
            await switch_everything_on(byte)
            spent.clear()
            lines_seen.clear()
            by_part.clear()
            control.send('prepare')
            await asyncio.to_thread(control.recv)  # subscribed; paced, the flood is made as it goes
            control.send('go')
            sent, send_seconds = await asyncio.to_thread(control.recv)
            for _ in range(600):  # every line read
                if len(lines_seen) >= sent:
                    break
                await asyncio.sleep(0.1)
            control.send('stop')
    finally:
        server.join(15)
        server.terminate()
    return sent, send_seconds, [spent[message] for message in lines_seen]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--rate', type=float, default=1000.0)
    parser.add_argument('--seconds', type=float, default=20.0)
    args = parser.parse_args()
    sent, send_seconds, costs = asyncio.run(run(args.rate, args.seconds))
    milliseconds = [cpu * 1000 for cpu, _wall in costs]
    wall = [elapsed * 1000 for _cpu, elapsed in costs]
    p99 = percentile(milliseconds, 0.99)

    def spread(values: list[float]) -> str:
        return ' / '.join(f'{percentile(values, share):.3f}' for share in (0.5, 0.95, 0.99)) + \
            f' / {max(values, default=0):.3f} ms'

    table([('lines sent / measured', f'{sent:,} / {len(milliseconds):,}'),
           ('sending rate', f'{sent / send_seconds:,.0f} lines/s'),
           ('per line CPU p50 / p95 / p99 / max', spread(milliseconds)),
           ('per line wall p50 / p95 / p99 / max', spread(wall)),
           ('the slowest line', f'#{milliseconds.index(max(milliseconds, default=0)) + 1 if milliseconds else 0}; '
                                f'lines over 1 ms: {sum(1 for cost in milliseconds if cost > TARGET_MS)}'),
           *((f'  {part} CPU p99', f'{percentile([cost * 1000 for cost in costs_of], 0.99):.3f} ms')
             for part, costs_of in sorted(by_part.items())),
           ('target', f'CPU p99 at most {TARGET_MS:.1f} ms: {"met" if p99 <= TARGET_MS else "MISSED"}')],
          'chat filters + custom commands + first-line check, per chat line (EventSub, paced)')
    if len(milliseconds) < sent:
        print(f'only {len(milliseconds)} of {sent} lines were read')
        sys.exit(1)


if __name__ == '__main__':
    main()
