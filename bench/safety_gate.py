"""Safety gate: the cost of its local stages per message, as Outbound pays it (`SafetyGate.check` on a started
Byte, in a channel with private notes, the streamer's words and allowed domains), the optional model calls
excluded.

The texts are every red-team attack and every ordinary answer of the test suite, and 100 answers as long as the
reply contract allows (460 characters), checked `--rounds` times in a shuffled order. Reported: p50, p99 and max
per message, for all texts and for each kind; the rate of checks per second of one core; and the memory the
gate's word lists and caches hold.

    .venv/bin/python bench/safety_gate.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_system, percentile, rss_mb, table
from runtime.brain.replies import contract_text
from tests.redteam.benign import ALLOWED_DOMAINS, all_answers
from tests.redteam.cases import NOTES, all_cases


def longest_answers(answers: list[str], count: int = 100) -> list[str]:
    """Answers as long as the reply contract allows: ordinary answers strung together up to 460 characters."""
    pick, made = random.Random(11), []
    for _ in range(count):
        text = ''
        while len(text) < 440:
            text = f'{text} {pick.choice(answers)}'.strip()
        made.append(contract_text(text)[:460])
    return made


def micros(values: list[float]) -> str:
    return (f'p50 {percentile(values, 0.5):7.1f} µs   p99 {percentile(values, 0.99):7.1f} µs   '
            f'max {max(values):8.1f} µs   ({len(values)} checks)')


async def run(rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix='byte-bench-gate-') as folder:
        async with bench_system(Path(folder), None, twitch_channels=['gate_bench']) as system:
            gate = system.gate
            await system.channels.set_notes('gate_bench', NOTES, reason='bench')
            await gate.set_channel_settings('gate_bench', blocked_words=['carrot', 'spoiler'],
                                            allowed_domains=list(ALLOWED_DOMAINS), reason='bench')
            benign = [contract_text(answer)[:460] for answer in all_answers()]
            attacks = [contract_text(case.payload)[:460] for case in all_cases()]
            longest = longest_answers(all_answers())
            texts = [('benign', text) for text in benign] + [('attack', text) for text in attacks] + \
                [('longest', text) for text in longest]
            memory_before = rss_mb()
            for _, text in texts:  # warm: the caches and the word lists load once
                gate.check('gate_bench', text, origin='bench')
            timings: dict[str, list[float]] = {'all': [], 'benign': [], 'longest': [], 'attack': []}
            shuffler = random.Random(3)
            started = time.perf_counter()
            # answers that pass first, then the attacks: each refusal is stored by the records writer's thread,
            # whose database work would otherwise be counted against the answers around it
            for phase in ({'benign', 'longest'}, {'attack'}):
                chosen = [(kind, text) for kind, text in texts if kind in phase]
                for _ in range(rounds):
                    shuffler.shuffle(chosen)
                    for kind, text in chosen:
                        before = time.perf_counter_ns()
                        gate.check('gate_bench', text, origin='bench')
                        spent = (time.perf_counter_ns() - before) / 1000
                        timings['all'].append(spent)
                        timings[kind].append(spent)
            elapsed = time.perf_counter() - started
            rows = [(f'{name} texts', micros(values)) for name, values in timings.items() if values]
            rows += [('checks per second', f'{len(timings["all"]) / elapsed:,.0f} (one core)'),
                     ('texts', f'{len(benign)} ordinary answers, {len(attacks)} attacks, {len(longest)} answers of '
                               f'{min(map(len, longest))}-460 characters'),
                     ('memory after warming', f'{rss_mb() - memory_before:+.1f} MB (word lists, caches)')]
            table(rows, 'Safety gate: local stages per message (SafetyGate.check)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=20)
    asyncio.run(run(parser.parse_args().rounds))


if __name__ == '__main__':
    main()
