"""The reply contract: bounded, plain, cut at a sentence or a word. (What may be said is the safety gate's:
see test_safety_gate.py.)"""

import pytest

from runtime.brain.replies import MAX_LENGTH, contract_text, cut, split_messages, strip_markdown


def shape(raw: str, max_messages: int = 1) -> list[str]:
    return split_messages(contract_text(raw), max_messages)


def test_twenty_lines_of_five_thousand_characters_become_one_bounded_message() -> None:
    raw = '\n'.join(f'Line {index}: ' + 'word ' * 50 for index in range(20))
    assert len(raw) > 5000
    messages = shape(raw)
    assert len(messages) == 1
    message = messages[0]
    assert len(message) <= MAX_LENGTH
    assert '\n' not in message
    assert 'Line 4' not in contract_text(raw)  # at most four lines were kept


def test_a_cut_lands_on_a_sentence_or_a_word() -> None:
    sentences = 'This is a sentence that keeps going. ' * 20
    message = shape(sentences)[0]
    assert message.endswith('.') and len(message) <= MAX_LENGTH
    words = 'alpha beta gamma delta ' * 40
    message = shape(words)[0]
    assert message.endswith('…') and message[:-1].split()[-1] in {'alpha', 'beta', 'gamma', 'delta'}
    head, rest = cut('x' * 1000)
    assert len(head) == MAX_LENGTH and rest


def test_two_messages_when_the_streamer_allows_it() -> None:
    raw = 'First thought is here. ' * 30
    messages = shape(raw, max_messages=2)
    assert len(messages) == 2
    assert all(len(message) <= MAX_LENGTH for message in messages)
    assert shape(raw)[0] == messages[0]


def test_markdown_is_removed() -> None:
    raw = '# Title\n**Bold** and *italic* and `code` and ~~gone~~\n- item one\n1. item two\n```python\nprint(1)\n```'
    text = strip_markdown(raw)
    for mark in ('#', '**', '`', '~~', '- item', '1. item', '```'):
        assert mark not in text
    assert 'Bold and italic and code and gone' in text
    assert shape(raw)[0].startswith('Title Bold and italic')


def test_nothing_left_is_nothing() -> None:
    assert shape('```\n```') == []
    assert contract_text('  \n\n ') == ''


@pytest.mark.parametrize(('raw', 'expected'), [
    ('Ask @some_user_name about cool_guy_99, and 2*3*4 is 24',
     'Ask @some_user_name about cool_guy_99, and 2*3*4 is 24'),
    ('_this_ and *that*', 'this and that'),
])
def test_emphasis_is_only_stripped_around_words(raw: str, expected: str) -> None:
    assert shape(raw) == [expected]
