"""Which chat lines ask for a clip, and with which title."""

import pytest

from runtime.clips.chat_command import requested_clip
from runtime.triggers import parse_trigger


@pytest.mark.parametrize(('text', 'expected'), [
    ('!clip', ('', True)),
    ('!CLIP  what   a play ', ('what a play', True)),
    ('  !clip\tace', ('ace', True)),
    ('!clipboard is broken', None),
    ('!clips', None),
    ('byte clip that', ('that', False)),
    ('Byte, clipe isso!', ('isso!', False)),
    ('@byte clipa', ('', False)),
    ('byte clip: the save', ('the save', False)),
    ('byte clipping is fun?', None),
    ('byte what is a clip', None),
    ('clip that byte', None),
])
def test_clip_requests(text: str, expected: tuple[str, bool] | None) -> None:
    assert requested_clip(text, parse_trigger(text, 'byte')) == expected
