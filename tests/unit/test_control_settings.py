"""The control plane's settings keep the earlier bot's keys; `clip_mode_default` is answered, not stored."""

import pytest

from runtime.control.settings import ControlSettings


def test_settings_stored_by_an_earlier_version_with_a_vod_clip_mode_keep_everything_else() -> None:
    stored = {'min_cooldown_seconds': 300, 'clip_pipeline_enabled': True, 'clip_mode_default': 'vod'}
    settings = ControlSettings.from_stored(stored)
    assert (settings.min_cooldown_seconds, settings.clip_pipeline_enabled) == (300, True)
    assert 'clip_mode_default' not in settings.as_dict()


def test_only_the_live_clip_mode_is_accepted() -> None:
    assert ControlSettings().updated({'clip_mode_default': 'live'}) == ControlSettings()
    with pytest.raises(ValueError, match='live'):
        ControlSettings().updated({'clip_mode_default': 'vod'})
