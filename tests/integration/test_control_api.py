"""The earlier Byte Bot's control routes on a real Byte process."""

from collections.abc import Iterator

import httpx
import pytest

from tests.support import ByteProcess


@pytest.fixture(scope='module')
def byte(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ByteProcess]:
    with ByteProcess(tmp_path_factory.mktemp('control-api')) as process:
        yield process


def test_a_fresh_control_plane_has_the_earlier_defaults(byte: ByteProcess) -> None:
    body = byte.client.get('/api/control-plane').json()
    config = body['config']
    assert (config['autonomy_enabled'], config['agent_suspended'], config['clip_pipeline_enabled']) == (
        False, False, False)
    assert (config['heartbeat_interval_seconds'], config['min_cooldown_seconds']) == (60, 90)
    assert (config['budget_messages_10m'], config['budget_messages_60m'], config['budget_messages_daily']) == (
        2, 8, 30)
    assert config['action_ignore_after_seconds'] == 900
    goals = {goal['id']: goal for goal in config['goals']}
    assert list(goals) == ['chat_pulse', 'streamer_hint', 'safety_watch', 'detect_clip']
    assert goals['detect_clip']['enabled'] is False and goals['chat_pulse']['risk'] == 'auto_chat'
    assert body['capabilities']['risk_actions']['levels'] == sorted(
        ['auto_chat', 'suggest_streamer', 'moderation_action', 'clip_candidate'])


def test_updates_are_clamped_validated_and_goals_normalised(byte: ByteProcess) -> None:
    client = byte.client
    clamped = client.put('/api/control-plane', json={'heartbeat_interval_seconds': 5,
                                                     'min_cooldown_seconds': 99_999}).json()['config']
    assert (clamped['heartbeat_interval_seconds'], clamped['min_cooldown_seconds']) == (15, 3600)
    assert client.put('/api/control-plane', json={'budget_messages_10m': 'lots'}).status_code == 400
    assert client.put('/api/control-plane', json=['not', 'an', 'object']).status_code == 400
    bad_goal = client.put('/api/control-plane', json={'goals': [{'id': 'x', 'prompt': 'p', 'risk': 'explode'}]})
    assert bad_goal.status_code == 400 and 'risk must be one of' in bad_goal.json()['message']
    goals = client.put('/api/control-plane', json={'goals': [
        {'id': 'My Goal!', 'prompt': 'say hi', 'risk': 'auto_chat', 'interval_seconds': 5},
        {'id': 'my goal', 'prompt': 'again', 'risk': 'suggest_streamer', 'cron': '*/10 * * * *'},
    ]}).json()['config']['goals']
    assert [(goal['id'], goal['interval_seconds'], goal['cron']) for goal in goals] == [
        ('my_goal', 60, None), ('my_goal_2', None, '*/10 * * * *')]
    restored = client.put('/api/control-plane', json={'goals': []}).json()['config']['goals']
    assert len(restored) == 4
    assert client.put('/api/control-plane', json={'goals': [{'id': 'c', 'prompt': 'p', 'risk': 'auto_chat',
                                                             'cron': 'not a cron'}]}).status_code == 400


def test_suspend_and_resume(byte: ByteProcess) -> None:
    client = byte.client
    suspended = client.post('/api/agent/suspend', json={'reason': 'stream deck'}).json()
    assert suspended['action'] == 'suspend' and suspended['autonomy']['suspended'] is True
    assert suspended['autonomy']['suspend_reason'] == 'stream deck'
    tick = client.post('/api/autonomy/tick', json={'force': True}).json()
    assert tick['processed'] and {item['outcome'] for item in tick['processed']} == {'suspended'}
    resumed = client.post('/api/agent/resume').json()
    assert resumed['action'] == 'resume' and resumed['autonomy']['suspended'] is False
    assert resumed['autonomy']['last_resume_reason'] == 'manual_dashboard'
    via_config = client.put('/api/control-plane', json={'agent_suspended': True}).json()
    assert via_config['autonomy']['suspend_reason'] == 'config_update'
    client.post('/api/agent/resume', json={'reason': 'done'})


def test_the_queue_and_decisions(byte: ByteProcess) -> None:
    client = byte.client
    client.put('/api/control-plane', json={'goals': [{'id': 'hint', 'prompt': 'a tip', 'risk': 'suggest_streamer'}]})
    tick = client.post('/api/autonomy/tick', json={'force': True, 'channel': 'demo'}).json()
    assert [item['outcome'] for item in tick['processed']] == ['queued']
    queue = client.get('/api/action-queue', params={'status': 'pending'}).json()
    item = queue['items'][0]
    assert item['kind'] == 'suggestion' and queue['summary']['pending'] >= 1
    decided = client.post(f'/api/action-queue/{item["id"]}/decision', json={'decision': 'reject', 'note': 'no'})
    assert decided.status_code == 200 and decided.json()['item']['status'] == 'rejected'
    assert [entry['event'] for entry in decided.json()['item']['audit']] == ['created', 'rejected']
    assert client.post(f'/api/action-queue/{item["id"]}/decision', json={'decision': 'approve'}).status_code == 409
    assert client.post('/api/action-queue/999999/decision', json={'decision': 'approve'}).status_code == 404
    assert client.post(f'/api/action-queue/{item["id"]}/decision', json={'decision': 'yes'}).status_code == 400
    assert client.get('/api/action-queue', params={'status': 'weird'}).status_code == 400
    assert client.post('/api/autonomy/tick', json={'channel': 'not_joined_here'}).status_code == 404


def test_hud_messages_with_the_overlay_key_or_the_token(byte: ByteProcess) -> None:
    byte.client.post('/api/hud/items', json={'text': 'for the overlay'})
    key = byte.client.get('/api/overlay').json()['overlay_path'].split('key=')[1]
    url = f'{byte.base_url}/api/hud/messages'
    by_key = httpx.get(url, headers={'X-Byte-Overlay-Key': key}, params={'since': 'NaN'}).json()
    assert [message['audience'] for message in by_key['messages'] if message['text'] == 'for the overlay'] == [
        'streamer']
    assert byte.client.get('/api/hud/messages', params={'since': 'inf'}).json()['messages'] is not None
    newest = by_key['messages'][-1]['ts']
    assert httpx.get(url, headers={'X-Byte-Overlay-Key': key}, params={'since': newest}).json()['messages'] == []
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={'X-Byte-Overlay-Key': 'wrong'}).status_code == 401


def test_sentiment_scores(byte: ByteProcess) -> None:
    for index in range(4):
        byte.client.post('/api/simulator/messages', json={'channel': 'demo', 'viewer': f'v{index}',
                                                          'text': 'PogChamp LETSGO'})
    scores = byte.client.get('/api/sentiment/scores', params={'channel': 'demo'}).json()
    assert scores['vibe'] == 'Hyped' and scores['count'] == 4
    assert byte.client.get('/api/sentiment/scores').status_code == 400


def test_clips_are_of_the_live_stream_and_the_earlier_clip_mode_key_says_so(byte: ByteProcess) -> None:
    """Byte clips the live stream only: the earlier bot's `clip_mode_default` is served as `live`, accepted when
    set to `live`, and `vod` is refused with a clear error instead of being stored and ignored."""
    client = byte.client
    plane = client.get('/api/control-plane').json()
    assert plane['config']['clip_mode_default'] == 'live'
    assert plane['capabilities']['clip_pipeline']['modes'] == ['live']
    assert plane['capabilities']['clip_pipeline']['default_mode'] == 'live'
    refused = client.put('/api/control-plane', json={'clip_mode_default': 'vod', 'min_cooldown_seconds': 120})
    assert refused.status_code == 400 and 'live' in refused.json()['message']
    assert client.get('/api/control-plane').json()['config']['min_cooldown_seconds'] != 120  # nothing applied
    accepted = client.put('/api/control-plane', json={'clip_mode_default': 'live', 'min_cooldown_seconds': 120})
    assert accepted.status_code == 200 and accepted.json()['config']['min_cooldown_seconds'] == 120
    client.put('/api/control-plane', json={'min_cooldown_seconds': 90})
