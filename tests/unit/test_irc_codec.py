"""The IRC codec against line formats from Twitch's IRC documentation."""

import pytest

from runtime.transports.irc_codec import build_line, escape_tag_value, parse_line, privmsg, unescape_tag_value

DOCUMENTED_PRIVMSG = (
    '@badge-info=;badges=broadcaster/1;client-nonce=997dcf443c31e258c1d32a8da47b6936;color=#0000FF;'
    'display-name=abc;emotes=;first-msg=0;flags=0-6:S.7;id=eb24e920-8065-492a-8aea-266a00fc5126;mod=0;'
    'room-id=713936733;subscriber=0;tmi-sent-ts=1642786203573;turbo=0;user-id=713936733;user-type= '
    ':abc!abc@abc.tmi.twitch.tv PRIVMSG #xyz :HeyGuys'
)


def test_documented_privmsg_with_tags() -> None:
    message = parse_line(DOCUMENTED_PRIVMSG + '\r\n')
    assert message.command == 'PRIVMSG'
    assert message.nick == 'abc'
    assert message.channel == 'xyz'
    assert message.text == 'HeyGuys'
    assert message.tags['id'] == 'eb24e920-8065-492a-8aea-266a00fc5126'
    assert message.tags['user-id'] == '713936733'
    assert message.tags['badges'] == 'broadcaster/1'
    assert message.tags['user-type'] == ''
    assert message.tags['flags'] == '0-6:S.7'


@pytest.mark.parametrize(('line', 'command', 'params'), [
    ('PING :tmi.twitch.tv', 'PING', ('tmi.twitch.tv',)),
    (':tmi.twitch.tv 001 bot_login :Welcome, GLHF!', '001', ('bot_login', 'Welcome, GLHF!')),
    (':tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands', 'CAP',
     ('*', 'ACK', 'twitch.tv/tags twitch.tv/commands')),
    (':bot_login!bot_login@bot_login.tmi.twitch.tv JOIN #dallas', 'JOIN', ('#dallas',)),
    (':tmi.twitch.tv RECONNECT', 'RECONNECT', ()),
    (':tmi.twitch.tv NOTICE * :Login authentication failed', 'NOTICE', ('*', 'Login authentication failed')),
    (':tmi.twitch.tv CLEARCHAT #dallas :ronni', 'CLEARCHAT', ('#dallas', 'ronni')),
])
def test_documented_command_lines(line: str, command: str, params: tuple[str, ...]) -> None:
    message = parse_line(line)
    assert (message.command, message.params) == (command, params)


def test_notice_and_userstate_tags() -> None:
    notice = parse_line('@msg-id=msg_duplicate :tmi.twitch.tv NOTICE #dallas :Your message was not sent because it '
                        'is identical to the previous one you sent, less than 30 seconds ago.')
    assert notice.tags == {'msg-id': 'msg_duplicate'}
    assert notice.channel == 'dallas'
    userstate = parse_line('@badge-info=;badges=moderator/1;color=#0D4200;display-name=ronni;emote-sets=0,33,50;'
                           'mod=1;subscriber=1;turbo=1;user-type=mod :tmi.twitch.tv USERSTATE #dallas')
    assert userstate.command == 'USERSTATE' and userstate.tags['mod'] == '1' and userstate.channel == 'dallas'


def test_tag_values_are_unescaped_and_escaped() -> None:
    assert unescape_tag_value(r'hello\sworld\:\\ok\rx\ny') == 'hello world;\\ok\rx\ny'
    assert unescape_tag_value('trailing\\') == 'trailing'
    original = 'a; b\\c\r\n'
    assert unescape_tag_value(escape_tag_value(original)) == original
    message = parse_line(r'@display-name=Some\sName;system-msg=a\:b :tmi.twitch.tv USERNOTICE #c :x')
    assert message.tags['display-name'] == 'Some Name' and message.tags['system-msg'] == 'a;b'


def test_building_lines() -> None:
    assert privmsg('dallas', 'hi there') == 'PRIVMSG #dallas :hi there'
    assert privmsg('dallas', 'reply', reply_to='abc-123') == '@reply-parent-msg-id=abc-123 PRIVMSG #dallas :reply'
    assert privmsg('dallas', 'line one\r\nline two') == 'PRIVMSG #dallas :line one  line two'
    assert build_line('JOIN', '#dallas') == 'JOIN #dallas'
    assert build_line('PASS', 'oauth:abc') == 'PASS oauth:abc'
    assert build_line('CAP', 'REQ', 'twitch.tv/tags twitch.tv/commands') == 'CAP REQ :twitch.tv/tags twitch.tv/commands'
    round_trip = parse_line(privmsg('dallas', ':starts with a colon'))
    assert round_trip.text == ':starts with a colon'


def test_garbage_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_line('@only=tags ')
