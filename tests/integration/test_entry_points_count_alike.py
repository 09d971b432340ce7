"""A line counts the same whichever way it came in: posted in the simulator or sent with `POST /api/chat/send`
(the transports hand their lines to the same `ChatConnection.received` as the simulator). Messages, chatters,
triggers and the chat's mood agree, so `/compare` and `byte status` cannot contradict each other."""

import asyncio
from pathlib import Path

from app.system import System
from runtime.metrics.snapshot import recent_activity
from tests.integration.api_setup import ADMIN_TOKEN, api_of
from tests.integration.brain_setup import brain_system, settle

LINES = [('ana', 'great stream, love it'), ('bo', 'byte what game is this?'), ('ana', 'lol that was awesome'),
         ('cy', 'huh? what happened'), ('bo', 'this is boring'), ('cy', 'byte status')]


def counts(byte: System, snapshot: dict, login: str) -> tuple:
    mood = byte.sentiment.mood(login)
    analytics = snapshot['chat_analytics']
    return (analytics['messages_10m'], snapshot['chatters']['active_10m'], analytics['byte_triggers_10m'],
            mood.messages_5m, mood.positive_ratio_5m, mood.confused_ratio_60s)


async def test_simulator_and_chat_send_lines_count_identically(tmp_path: Path) -> None:
    async with brain_system(tmp_path, twitch_channels='alpha beta', admin_token=ADMIN_TOKEN) as byte, \
            api_of(byte) as api:
        assert byte.simulator is not None
        for author, text in LINES:
            byte.simulator.post_as_viewer('alpha', author, text)
            sending = asyncio.create_task(api.post('/api/chat/send', json={'channel_id': 'beta', 'author': author,
                                                                           'text': text}))
            await settle(byte)  # moves the manual clock past Outbound's pauses while the answer goes out
            sent = await sending
            assert sent.status_code == 200, sent.text
        await settle(byte)
        await compare(byte)


async def compare(byte: System) -> None:
    alpha = counts(byte, await byte.observability.snapshot('alpha'), 'alpha')
    beta = counts(byte, await byte.observability.snapshot('beta'), 'beta')
    assert alpha == beta == (6, 3, 2, 6, alpha[4], alpha[5])
    assert alpha[4] > 0 and alpha[5] > 0  # the words above do move the mood
    assert recent_activity(byte.metrics).messages == 12 and recent_activity(byte.metrics).triggers == 4
