"""The chat modes are listed once; the settings, the dashboard's labels and the owner all take them from there."""

import typing

import pytest

from app.settings import Settings
from components.chat_mode import MODE_LABELS
from runtime.transports.chat_mode import CHAT_MODES


def test_every_mode_has_a_label_and_the_settings_accept_exactly_the_modes() -> None:
    assert set(MODE_LABELS) == set(CHAT_MODES) == {'auto', 'simulator', 'eventsub', 'irc'}
    accepted = typing.get_args(typing.get_args(Settings.model_fields['twitch_mode'].annotation)[0])
    assert set(accepted) == set(CHAT_MODES)


async def test_an_unknown_mode_is_refused_and_a_known_one_stored(system: typing.Any) -> None:
    with pytest.raises(ValueError, match='unknown chat mode'):
        system.chat_modes.choose('telepathy')
    system.chat_modes.choose('irc')
    assert system.chat_modes.mode == 'irc' and system.repositories.settings.get('twitch_mode') == 'irc'
