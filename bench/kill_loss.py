"""How much chat history a SIGKILL can lose.

Posts a burst of chat lines into a real Byte process (SQLite), waits until its API shows them, waits a little
longer, kills it with SIGKILL, restarts it and counts what was stored. For every lost line it also reports how
long before the kill the line had been acknowledged: that age is bounded by the history flush interval.

    .venv/bin/python bench/kill_loss.py [--lines 200] [--delays 0,0.05,0.1,0.25,0.5,1]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import ByteProcess, wait_until

UNTHROTTLED = {'BYTE_API_RATE_PER_SECOND': '10000', 'BYTE_API_RATE_BURST': '10000'}  # the burst is the point


def measure(lines: int, delay: float) -> tuple[int, float]:
    """Returns (lines lost, age in seconds of the oldest lost line at the moment of the kill)."""
    data_dir = Path(tempfile.mkdtemp(prefix='byte-kill-'))
    byte = ByteProcess(data_dir, **UNTHROTTLED).start()
    acknowledged: dict[str, float] = {}
    for index in range(lines):
        response = byte.client.post('/api/simulator/messages',
                                    json={'channel': 'demo', 'viewer': 'v', 'text': f'm{index}'})
        assert response.status_code == 201, response.text  # only an acknowledged line counts
        acknowledged[f'm{index}'] = time.monotonic()
    wait_until(lambda: byte.client.get('/api/channels/demo/chat').json()['lines'][-1]['text'] == f'm{lines - 1}')
    time.sleep(delay)
    killed_at = time.monotonic()
    byte.kill()
    with ByteProcess(data_dir):  # a restart runs migrations and proves the file is usable after the kill
        pass
    with sqlite3.connect(data_dir / 'byte.sqlite3') as connection:
        stored = {row[0] for row in connection.execute('SELECT text FROM chat_history')}
    lost = [text for text in acknowledged if text not in stored]
    oldest_lost_age = max((killed_at - acknowledged[text] for text in lost), default=0.0)
    return len(lost), oldest_lost_age


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--lines', type=int, default=200)
    parser.add_argument('--delays', default='0,0.05,0.1,0.25,0.5,1')
    args = parser.parse_args()
    print(f'{"extra wait before kill (s)":>27} {"posted":>7} {"lost":>5} {"oldest lost line age (s)":>25}')
    for delay in (float(value) for value in args.delays.split(',')):
        lost, age = measure(args.lines, delay)
        print(f'{delay:>27.2f} {args.lines:>7} {lost:>5} {age:>25.3f}')


if __name__ == '__main__':
    main()
