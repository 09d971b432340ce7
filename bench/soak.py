"""Soak: 20 channels at 50 messages per second each (1,000/s) for 10 minutes, read by a real Byte process over
(the fake) Twitch IRC, with three dashboard tabs open in headless Chromium; 500 different people chat in each
channel (10,000 in all). Samples the process's resident memory every 10 s and prints it at the start, middle and
end, each minute, the growth over the last half, and how many lines were stored.

    .venv/bin/python bench/soak.py [--seconds 600] [--channels 20] [--rate 50] [--tabs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selenium import webdriver

from bench.common import product_python, table
from tests.browser.conftest import _find
from tests.fakes.twitch import FakeTwitch
from tests.support import ByteProcess, wait_until

TOKEN = 'soak-admin-token-0123456789abcdefghij'
PEOPLE_PER_CHANNEL = 500  # different people chatting in each channel


def rss_of(pid: int) -> float:
    with open(f'/proc/{pid}/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return 0.0


def chromium(tabs: int, url: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = _find('chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser')
    for flag in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-dev-shm-usage', '--window-size=1280,900'):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(
        executable_path=_find('chromedriver', '/usr/bin/chromedriver')))
    driver.get(url)
    for _ in range(tabs - 1):
        driver.switch_to.new_window('tab')
        driver.get(url)
    return driver


async def chat_load(fake: FakeTwitch, channels: list[str], rate: float, seconds: float) -> int:
    """Push `rate` lines per second into every channel for `seconds`; returns how many were pushed."""
    pushed, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        due = int(elapsed * rate * len(channels))
        while pushed < due:
            index = pushed % len(channels)
            person = (pushed // len(channels)) % PEOPLE_PER_CHANNEL  # everyone in a channel speaks in turn
            await fake.irc.push_privmsg(channels[index], f'viewer_{index}_{person}',
                                        f'soak line {pushed} PogChamp what a play', f'soak-{pushed}',
                                        f'{100_000 + index * PEOPLE_PER_CHANNEL + person}', int(time.time() * 1000))
            pushed += 1
        await asyncio.sleep(0.01)
    return pushed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--seconds', type=float, default=600)
    parser.add_argument('--channels', type=int, default=20)
    parser.add_argument('--rate', type=float, default=50)
    parser.add_argument('--tabs', type=int, default=3)
    args = parser.parse_args()
    channels = [f'soak_channel_{index:02d}' for index in range(args.channels)]
    fake = FakeTwitch().start_in_thread()
    data_dir = Path(tempfile.mkdtemp(prefix='byte-soak-'))
    env = {f'BYTE_{key.upper()}': value for key, value in fake.endpoint_settings().items()}
    env.update({'BYTE_TWITCH_MODE': 'irc', 'BYTE_TWITCH_CHANNELS': ' '.join(channels)})
    samples: list[tuple[float, float]] = []
    with ByteProcess(data_dir, admin_token=TOKEN, python=product_python(), **env) as byte:
        assert byte.process is not None
        wait_until(lambda: all(any(channel in session.channels for session in fake.irc.sessions)
                               for channel in channels), timeout=30)
        driver = chromium(args.tabs, f'{byte.base_url}/login#token={TOKEN}')
        try:
            assert fake._thread_loop is not None  # the load runs on the fake's own thread
            future = asyncio.run_coroutine_threadsafe(chat_load(fake, channels, args.rate, args.seconds),
                                                      fake._thread_loop)
            started = time.perf_counter()
            while not future.done():
                samples.append((time.perf_counter() - started, rss_of(byte.process.pid)))
                time.sleep(min(10.0, max(1.0, args.seconds / 20)))
            pushed = future.result()
            samples.append((time.perf_counter() - started, rss_of(byte.process.pid)))
        finally:
            driver.quit()
    with sqlite3.connect(data_dir / 'byte.sqlite3') as connection:
        stored = connection.execute('SELECT COUNT(*) FROM chat_history WHERE is_bot = 0').fetchone()[0]
    fake.call(fake.stop())
    report(samples, pushed, stored, args)


def each_minute(samples: list[tuple[float, float]]) -> list[float]:
    """The first sample at or after every whole minute."""
    minutes = range(int(samples[-1][0] // 60) + 1)
    return [next(rss for at, rss in samples if at >= minute * 60) for minute in minutes]


def report(samples: list[tuple[float, float]], pushed: int, stored: int, args: argparse.Namespace) -> None:
    middle = samples[len(samples) // 2]
    second_half = [rss for at, rss in samples if at >= samples[-1][0] / 2]
    table([
        ('load', f'{args.channels} channels x {args.rate:.0f} msg/s for {args.seconds:.0f} s, {args.tabs} tabs'),
        ('RSS at start', f'{samples[0][1]:.0f} MB'),
        ('RSS in the middle', f'{middle[1]:.0f} MB (at {middle[0]:.0f} s)'),
        ('RSS at the end', f'{samples[-1][1]:.0f} MB'),
        ('RSS peak', f'{max(rss for _, rss in samples):.0f} MB'),
        ('growth over the last half', f'{second_half[-1] - second_half[0]:+.0f} MB '
                                      f'(min {min(second_half):.0f}, max {max(second_half):.0f})'),
        ('RSS each minute', ' '.join(f'{rss:.0f}' for rss in each_minute(samples)) + ' MB'),
        ('lines pushed / stored', f'{pushed} / {stored}'),
    ], 'soak')


if __name__ == '__main__':
    main()
