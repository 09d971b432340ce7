"""The reply contract and the output filter on adversarial model output."""

import pytest

from runtime.brain.replies import MAX_LENGTH, cut, shape, strip_markdown


def test_twenty_lines_of_five_thousand_characters_become_one_bounded_message() -> None:
    raw = '\n'.join(f'Line {index}: ' + 'word ' * 50 for index in range(20))
    assert len(raw) > 5000
    shaped = shape(raw)
    assert len(shaped.messages) == 1
    message = shaped.messages[0]
    assert len(message) <= MAX_LENGTH
    assert '\n' not in message
    assert 'Line 4' not in message  # at most four lines were kept


def test_a_cut_lands_on_a_sentence_or_a_word() -> None:
    sentences = 'This is a sentence that keeps going. ' * 20
    message = shape(sentences).messages[0]
    assert message.endswith('.') and len(message) <= MAX_LENGTH
    words = 'alpha beta gamma delta ' * 40
    message = shape(words).messages[0]
    assert message.endswith('…') and message[:-1].split()[-1] in {'alpha', 'beta', 'gamma', 'delta'}
    head, rest = cut('x' * 1000)
    assert len(head) == MAX_LENGTH and rest


def test_two_messages_when_the_streamer_allows_it() -> None:
    raw = 'First thought is here. ' * 30
    shaped = shape(raw, max_messages=2)
    assert len(shaped.messages) == 2
    assert all(len(message) <= MAX_LENGTH for message in shaped.messages)
    assert shape(raw).messages[0] == shaped.messages[0]


def test_markdown_is_removed() -> None:
    raw = '# Title\n**Bold** and *italic* and `code` and ~~gone~~\n- item one\n1. item two\n```python\nprint(1)\n```'
    text = strip_markdown(raw)
    for mark in ('#', '**', '`', '~~', '- item', '1. item', '```'):
        assert mark not in text
    assert 'Bold and italic and code and gone' in text
    message = shape(raw).messages[0]
    assert message.startswith('Title Bold and italic')


@pytest.mark.parametrize(('raw', 'expected', 'blocked'), [
    ('@everyone look at this', 'look at this', ['mass mention']),
    ('hey @a @b @c @d @e', 'hey a b c d e', ['mass mention']),
    ('see https://evil.example/x or www.spam.com and [here](http://x.io)', 'see or and here', ['link']),
    ('visit twitch.tv/somebody now', 'visit now', ['link']),
    ('/ban somebody', 'ban somebody', ['chat command']),
    ('.timeout somebody 600', 'timeout somebody 600', ['chat command']),
])
def test_unsafe_output_is_cleaned_and_recorded(raw: str, expected: str, blocked: list[str]) -> None:
    shaped = shape(raw)
    assert shaped.messages == [expected]
    assert shaped.blocked == blocked


def test_links_stay_where_the_channel_allows_them() -> None:
    assert shape('docs at https://docs.example.org/a', allow_links=True).messages == ['docs at https://docs.example.org/a']


def test_a_blocked_word_refuses_the_whole_reply() -> None:
    shaped = shape('this contains Spoiler words', blocked_words=['spoiler'])
    assert shaped.messages == [] and shaped.blocked == ['blocked word']
    assert shape('no spoilers here', blocked_words=['spoiler']).messages == ['no spoilers here']


def test_nothing_left_sends_nothing() -> None:
    assert shape('```\n```').messages == []
    assert shape('@everyone').blocked == ['mass mention']


@pytest.mark.parametrize(('raw', 'expected'), [
    ('Ask @some_user_name about cool_guy_99, and 2*3*4 is 24',
     'Ask @some_user_name about cool_guy_99, and 2*3*4 is 24'),
    ('_this_ and *that*', 'this and that'),
])
def test_emphasis_is_only_stripped_around_words(raw: str, expected: str) -> None:
    assert shape(raw).messages == [expected]


@pytest.mark.parametrize('raw', ['see youtu.be/abc', 'go to evil.ru/x now', 'free-nitro.app', 'scam.info here',
                                 'https://a.b/c', 'example.com:8080/path'])
def test_links_of_any_domain_are_removed(raw: str) -> None:
    shaped = shape(raw)
    assert 'link' in shaped.blocked
    assert not any(mark in ' '.join(shaped.messages) for mark in ('.be', '.ru', '.app', '.info', '://', '.com'))


def test_no_message_starts_like_a_command() -> None:
    assert shape('!addcom !free scam').messages == ['addcom !free scam']
    two = shape('word ' * 88 + '. /ban someone please', max_messages=2)
    assert all(not message.startswith(('/', '.', '!')) for message in two.messages)
    assert 'chat command' in two.blocked
