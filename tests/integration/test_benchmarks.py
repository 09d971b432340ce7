"""Every benchmark under bench/ runs as its README says, on a tiny input, and prints its figures. (The figures
themselves are for bench/RESULTS.md, not for the test suite.)"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, *args: str, timeout: float = 240) -> str:
    finished = subprocess.run([sys.executable, str(ROOT / 'bench' / script), *args], check=False, cwd=ROOT,
                              capture_output=True, text=True, timeout=timeout)
    assert finished.returncode == 0, f'{script} failed:\n{finished.stdout[-2000:]}\n{finished.stderr[-3000:]}'
    return finished.stdout


def test_ingest_on_sqlite() -> None:
    out = run('ingest.py', '--messages', '600', '--seconds', '0.5', '--database', 'sqlite')
    assert 'ingest on sqlite' in out and 'yes (' in out  # every line stored exactly once
    assert 'pipeline latency at 500/s p99' in out


@pytest.mark.postgres
def test_ingest_on_postgresql(postgres_admin_url: str) -> None:
    out = run('ingest.py', '--messages', '600', '--seconds', '0.5', '--database', 'postgres',
              '--postgres-url', postgres_admin_url)
    assert 'ingest on postgresql' in out and 'yes (' in out


def test_reply_path() -> None:
    out = run('reply_path.py', '--triggers', '3', '--interval', '0.3')
    assert 'answered and sent            3' in out and 'LLM answer -> send call p99' in out


def test_dashboard_data_and_cold_start(tmp_path: Path) -> None:
    seeded = tmp_path / 'seeded'
    out = run('dashboard_data.py', '--data-dir', str(seeded), '--days', '1', '--history', '2000', '--requests', '3')
    assert 'history 30 d' in out and 'p95' in out
    out = run('cold_start.py', '--data-dir', str(seeded), '--days', '1', '--history', '2000', '--runs', '1')
    assert 'process start -> ready' in out and 'channel context restore p50' in out


@pytest.mark.browser
def test_soak() -> None:
    out = run('soak.py', '--seconds', '4', '--channels', '2', '--rate', '20', '--tabs', '1')
    assert 'RSS at the end' in out and 'RSS each minute' in out
    pushed, stored = next(line for line in out.splitlines() if line.startswith('lines pushed')).split()[-3::2]
    assert pushed == stored and int(pushed) > 0


def test_kill_loss() -> None:
    out = run('kill_loss.py', '--lines', '80', '--delays', '1')  # more lines than the API's default burst
    assert 'oldest lost line age' in out
    assert out.strip().splitlines()[-1].split()[:3] == ['1.00', '80', '0']  # a second after: nothing lost


def test_safety_gate() -> None:
    out = run('safety_gate.py', '--rounds', '1')
    assert 'ordinary answers' in out and 'p99' in out and 'checks per second' in out


def test_flood_over_irc_on_sqlite() -> None:
    out = run('flood.py', '--lines', '3000', '--database', 'sqlite')
    assert 'flood on sqlite' in out and '3,000 of 3,000 (100.00%)' in out
    assert 'CPU per 1,000 lines' in out and 'queue high-water / pending / dropped' in out
    assert out.split('queue high-water / pending / dropped')[1].split('\n')[0].strip().endswith('/ 0 / 0')


@pytest.mark.postgres
def test_paced_flood_over_eventsub_on_postgresql(postgres_admin_url: str) -> None:
    out = run('flood.py', '--transport', 'eventsub', '--rate', '200', '--seconds', '3', '--database', 'postgres',
              '--postgres-url', postgres_admin_url)
    assert 'flood on postgresql' in out and '600 of 600 (100.00%)' in out and 'stored lag' in out


def test_writer_gil() -> None:
    out = run('writer_gil.py', '--rows', '100', '--batches', '1')
    assert 'executemany, a step per row, beside a busy thread' in out and 'one INSERT ... SELECT (Byte)' in out


@pytest.mark.postgres
def test_memory_search(postgres_admin_url: str) -> None:
    out = run('memory_search.py', '--entries', '600', '--queries', '5', '--layout', 'spread',
              '--postgres-url', postgres_admin_url)
    assert 'sqlite, 600 entries in 10 channels: top-5 search' in out and 'sqlite-vec; Byte up in' in out
    assert 'postgres, 600 entries in 10 channels: recall added to a reply' in out and 'pgvector; Byte up in' in out
    assert re.search(r'sqlite, 600 entries in 10 channels: top 5 as comparing every row +100\.0% of results', out)


def test_bot_features_per_line() -> None:
    out = run('bot_features.py', '--rate', '300', '--seconds', '2')
    assert '600 / 600' in out and 'per line CPU p50 / p95 / p99 / max' in out and 'CustomCommands.take' in out
