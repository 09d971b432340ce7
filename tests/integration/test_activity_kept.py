"""The Answers view and "What happened to Byte's messages" show the same records after a restart, on SQLite and
on PostgreSQL; the database keeps a bounded number of them."""

from pathlib import Path

import pytest

from runtime import activity_log
from tests.integration.brain_setup import ask, brain_system, settle


@pytest.fixture(params=['sqlite', pytest.param('postgresql', marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> dict[str, str]:
    return {} if request.param == 'sqlite' else {'database_url': request.getfixturevalue('postgres_url')}


async def test_answers_and_messages_come_back_after_a_restart(tmp_path: Path, database: dict[str, str]) -> None:
    async with brain_system(tmp_path, twitch_channels='alpha', **database) as byte:
        answered = await ask(byte, 'alpha', 'byte what game is this?', viewer='curious')
        assert answered is not None and answered.replies
        await ask(byte, 'alpha', 'byte and now?', viewer='curious')  # inside the cooldown: a note, no answer
        byte.outbound.request('alpha', 'a line of its own', origin='test', is_automatic=False)
        await settle(byte)
        before_answers = [(item.route, item.replies, item.at) for item in byte.brain.history]
        before_messages = [(record.outcome, record.text, record.origin) for record in byte.outbound.history]
    assert [route for route, _, _ in before_answers] == ['llm', 'cooldown']
    async with brain_system(tmp_path, twitch_channels='alpha', **database) as byte:
        assert [(item.route, item.replies, item.at) for item in byte.brain.history] == before_answers
        assert [(record.outcome, record.text, record.origin) for record in byte.outbound.history] == before_messages
        await ask(byte, 'alpha', 'byte hello again', viewer='other')
        assert [item.route for item in byte.brain.history] == ['llm', 'cooldown', 'llm']  # new ones after the old


async def test_the_database_keeps_a_bounded_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hourly retention job keeps the newest KEPT of each kind, however the kinds interleave."""
    monkeypatch.setattr(activity_log, 'KEPT', 2)
    async with brain_system(tmp_path, twitch_channels='alpha') as byte:
        for index in range(4):
            byte.outbound.request('alpha', f'line {index}', origin='test', is_automatic=False)
            await ask(byte, 'alpha', f'byte question {index}', viewer=f'viewer{index}')  # answers between them
        await settle(byte)
        byte.activity_log.writer.flush_now()
        await byte.activity_log.trim()  # the scheduler's job
        assert len(byte.repositories.activity.recent('answer', 100)) == 2
        newest = [(record.origin, record.text) for record in byte.outbound.history][-2:]
    async with brain_system(tmp_path, twitch_channels='alpha') as byte:
        assert [(record.origin, record.text) for record in byte.outbound.history] == newest
        assert len(byte.repositories.activity.recent('message', 100)) == 2
