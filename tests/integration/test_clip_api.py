"""The clip routes on a real Byte process against the fake Twitch: a clip through the API, the earlier bot's
listing, the limits as HTTP answers, bad bodies, and a SIGKILL while the clip is being polled."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.twitch import FakeTwitch
from tests.integration.twitch_setup import BOT_SCOPES
from tests.support import ByteProcess, wait_until


@pytest.fixture
def fake() -> Iterator[FakeTwitch]:
    fake = FakeTwitch().start_in_thread()
    yield fake
    fake.call(fake.stop())


def byte_env(fake: FakeTwitch) -> dict[str, str]:
    state = fake.state
    bot, alpha = state.add_user('byte_bot', '1001'), state.add_user('alpha_streamer', '2001')
    state.live[alpha.login] = '2026-11-27T12:00:00Z'
    token = state.issue_token(bot.id, BOT_SCOPES)
    env = {f'BYTE_{key.upper()}': value for key, value in fake.endpoint_settings().items()}
    env.update({'BYTE_TWITCH_CLIENT_ID': state.client_id, 'BYTE_TWITCH_CLIENT_SECRET': state.client_secret,
                'BYTE_TWITCH_ACCESS_TOKEN': token.access, 'BYTE_TWITCH_REFRESH_TOKEN': token.refresh,
                'BYTE_TWITCH_CHANNELS': 'alpha_streamer', 'BYTE_TWITCH_MODE': 'eventsub',
                'BYTE_CLIP_POLL_SECONDS': '0.1', 'BYTE_CLIP_POLL_DEADLINE_SECONDS': '20'})
    return env


def test_clips_through_the_api(tmp_path: Path, fake: FakeTwitch) -> None:
    with ByteProcess(tmp_path, **byte_env(fake)) as byte:
        client = byte.client
        wait_until(lambda: client.get('/api/health').json()['transport']['state'] == 'connected')
        fake.state.clip_script.polls_before_ready = 3
        created = client.post('/api/clips', json={'channel_id': 'Alpha_Streamer', 'title': '<b>clutch</b>',
                                                  'duration': 15})
        assert created.status_code == 202, created.text
        job = created.json()['job']
        assert (job['channel'], job['source'], job['status'], job['duration']) == ('alpha_streamer', 'api',
                                                                                    'queued', 15.0)
        busy = client.post('/api/clips', json={'channel_id': 'alpha_streamer'})
        assert busy.status_code == 409 and busy.json()['error'] == 'busy'
        ready = wait_until(lambda: [item for item in client.get('/api/clip-jobs?channel=alpha_streamer').json()[
            'items'] if item['status'] == 'ready'])
        assert ready[0]['clip_url'] == f'https://clips.twitch.tv/{ready[0]["twitch_clip_id"]}'
        assert ready[0]['title'] == '<b>clutch</b>' and ready[0]['job_id'] == f'job_{job["id"]}'
        cooling = client.post('/api/clips', json={'channel_id': 'alpha_streamer'})
        assert cooling.status_code == 429 and cooling.json()['error'] == 'cooldown'
        assert 1 <= int(cooling.headers['Retry-After']) <= 30
        listing = client.get('/api/clip-jobs').json()
        assert listing['mode'] == 'eventsub' and listing['last_24h'] == {'active': 0, 'ready': 1, 'failed': 0}
        assert client.get('/api/clip-jobs?status=failed').json()['items'] == []
        for bad in ({'channel_id': 'alpha_streamer', 'duration': 61}, {'channel_id': 'alpha_streamer', 'x': 1},
                    {'title': 'no channel'}, {'channel_id': 'bad name!'}):
            answer = client.post('/api/clips', json=bad)
            assert answer.status_code == 400 and answer.json()['ok'] is False, bad
        missing = client.post('/api/clips', json={'channel_id': 'nobody_here'})
        assert missing.status_code == 404 and missing.json()['error'] == 'not_joined'
        assert client.get('/api/clip-jobs?status=lost').status_code == 400
        assert client.get('/api/clip-jobs?limit=0').status_code == 400
    assert fake.state.clip_script.create_calls == 1


def test_a_killed_process_finishes_its_clip_after_the_restart(tmp_path: Path, fake: FakeTwitch) -> None:
    env = byte_env(fake)
    fake.state.clip_script.polls_before_ready = 10**6
    byte = ByteProcess(tmp_path, **env).start()
    try:
        wait_until(lambda: byte.client.get('/api/health').json()['transport']['state'] == 'connected')
        job = byte.client.post('/api/clips', json={'channel_id': 'alpha_streamer'}).json()['job']
        wait_until(lambda: byte.client.get('/api/clip-jobs').json()['items'][0]['status'] == 'polling')
    finally:
        byte.kill()
    fake.state.clip_script.polls_before_ready = 0
    with ByteProcess(tmp_path, **env) as again:
        done = wait_until(lambda: [item for item in again.client.get('/api/clip-jobs').json()['items']
                                   if item['id'] == job['id'] and item['status'] == 'ready'], timeout=20)
        assert done[0]['attempts'] == 1
    assert fake.state.clip_script.create_calls == 1 and len(fake.state.clips) == 1
