"""Byte as a streamer runs it (its own process, DEBUG logging) against the fake Twitch: chat arrives, and no
token or secret ever reaches the log."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.twitch import FakeTwitch
from tests.fakes.twitch.state import FakeToken
from tests.integration.twitch_setup import BOT_SCOPES
from tests.support import ByteProcess, wait_until


@pytest.fixture
def fake() -> Iterator[FakeTwitch]:
    fake = FakeTwitch().start_in_thread()
    yield fake
    fake.call(fake.stop())


def test_eventsub_process_receives_chat_and_keeps_secrets_out_of_the_log(tmp_path: Path, fake: FakeTwitch) -> None:
    state = fake.state
    bot, alpha, viewer = state.add_user('byte_bot', '1001'), state.add_user('alpha_streamer', '2001'), \
        state.add_user('viewer_one', '3001')
    token = state.issue_token(bot.id, BOT_SCOPES, lifetime=1800)  # short: Byte refreshes it at once
    env = {f'BYTE_{key.upper()}': value for key, value in fake.endpoint_settings().items()}
    env.update({'BYTE_TWITCH_CLIENT_ID': state.client_id, 'BYTE_TWITCH_CLIENT_SECRET': state.client_secret,
                'BYTE_TWITCH_ACCESS_TOKEN': token.access, 'BYTE_TWITCH_REFRESH_TOKEN': token.refresh,
                'BYTE_TWITCH_CHANNELS': 'alpha_streamer', 'BYTE_TWITCH_MODE': 'eventsub', 'BYTE_LOG_LEVEL': 'DEBUG'})
    with ByteProcess(tmp_path, **env) as byte:
        wait_until(lambda: byte.client.get('/api/health').json()['transport'] == {'name': 'eventsub',
                                                                                  'state': 'connected'})
        wait_until(lambda: fake.eventsub.subscribed_channels() == {alpha.id})
        fake.call(fake.eventsub.push_chat(alpha.id, viewer.id, 'hello from a real process'))
        wait_until(lambda: any(line['text'] == 'hello from a real process'
                               for line in byte.client.get('/api/channels/alpha_streamer/chat').json()['lines']))
        wait_until(lambda: state.refreshes == 1)
        secrets = [token.access, token.refresh, state.client_secret, byte.admin_token]
        secrets += [item.access for item in state.tokens.values()] + [item.refresh for item in state.tokens.values()]
    assert not list(tmp_path.rglob('.tio.tokens.json'))  # tokens live in the database, not in twitchio's file
    log = byte.log_text()
    assert 'hello from a real process' not in log  # chat lines are not logged
    leaked = [secret for secret in secrets if secret and secret in log]
    assert not leaked, f'{len(leaked)} secret(s) found in the log'


def test_chat_send_through_the_api_reaches_twitch_chat_in_eventsub_mode(tmp_path: Path, fake: FakeTwitch) -> None:
    """The API's own line is no Twitch message: the answer goes out as a plain message, not as a reply to it
    (Twitch refuses a reply parent it does not know), and the API says what was sent."""
    state = fake.state
    bot, alpha = state.add_user('byte_bot', '1001'), state.add_user('alpha_streamer', '2001')
    env = eventsub_env(fake, state.issue_token(bot.id, BOT_SCOPES))
    with ByteProcess(tmp_path, **env) as byte:
        wait_until(lambda: fake.eventsub.subscribed_channels() == {alpha.id})
        result = byte.client.post('/api/chat/send', json={'channel_id': 'alpha_streamer', 'text': 'byte hi there',
                                                          'author': 'script'}).json()
        sent = [message for message in state.sent if message.channel_id == alpha.id]
        assert result['outcomes'] == ['sent'] and result['replies'] == [sent[0].text]
        assert sent[0].reply_to is None


def test_a_broadcaster_authorises_automod_through_the_api(tmp_path: Path, fake: FakeTwitch) -> None:
    state = fake.state
    bot, alpha = state.add_user('byte_bot', '1001'), state.add_user('alpha_streamer', '2001')
    env = eventsub_env(fake, state.issue_token(bot.id, BOT_SCOPES))
    with ByteProcess(tmp_path, **env) as byte:
        wait_until(lambda: fake.eventsub.subscribed_channels() == {alpha.id})
        route = '/api/safety/channels/alpha_streamer/automod-authorisation'
        started = byte.client.post(route)
        assert started.status_code == 202, started.text
        code = started.json()['automod']['authorisation']['user_code']
        device = next(grant for grant in state.devices.values() if grant.user_code == code)
        assert device.scopes == ['moderation:read', 'channel:read:hype_train', 'channel:manage:redemptions']
        device.approved_for = alpha.id
        wait_until(lambda: byte.client.get('/api/safety/channels/alpha_streamer').json()['automod']['authorised_by']
                   == 'alpha_streamer')
        wait_until(lambda: 'channel.hype_train.begin' in fake.eventsub.subscribed_types(alpha.id))
        listening = byte.client.get('/api/channels/alpha_streamer/reactions').json()['listening']
        assert (listening['hype trains'], listening['channel points']) == ('', '')
        assert byte.client.get('/api/safety/channels/alpha_streamer').json()['automod']['authorisation_lacks'] == []
        forgotten = byte.client.delete(route).json()
        assert forgotten['automod']['authorised_by'] is None
        assert 'has not authorised' in forgotten['automod']['unavailable_reason']
        wait_until(lambda: "needs the broadcaster's authorisation" in byte.client.get(
            '/api/channels/alpha_streamer/reactions').json()['listening']['hype trains'])
        assert 'channel.hype_train.begin' not in fake.eventsub.subscribed_types(alpha.id)


def eventsub_env(fake: FakeTwitch, token: FakeToken) -> dict[str, str]:
    """A Byte process in EventSub mode in #alpha_streamer, on the fake Twitch, with the bot's tokens."""
    state = fake.state
    env = {f'BYTE_{key.upper()}': value for key, value in fake.endpoint_settings().items()}
    env.update({'BYTE_TWITCH_CLIENT_ID': state.client_id, 'BYTE_TWITCH_CLIENT_SECRET': state.client_secret,
                'BYTE_TWITCH_ACCESS_TOKEN': token.access, 'BYTE_TWITCH_REFRESH_TOKEN': token.refresh,
                'BYTE_TWITCH_CHANNELS': 'alpha_streamer', 'BYTE_TWITCH_MODE': 'eventsub'})
    return env
