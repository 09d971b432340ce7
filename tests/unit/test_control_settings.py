"""The control plane's settings keep the earlier bot's keys; `clip_mode_default` is answered, not stored."""

from runtime.control.settings import ControlSettings


def test_settings_stored_by_an_earlier_version_with_a_vod_clip_mode_keep_everything_else() -> None:
    stored = {'min_cooldown_seconds': 300, 'clip_pipeline_enabled': True, 'clip_mode_default': 'vod'}
    settings = ControlSettings.from_stored(stored)
    assert (settings.min_cooldown_seconds, settings.clip_pipeline_enabled) == (300, True)
    assert 'clip_mode_default' not in settings.as_dict()


def test_keys_of_the_earlier_api_that_are_no_settings_change_nothing() -> None:
    """`goals`, `agent_suspended` and `clip_mode_default` come in the same body; their owners (and the earlier
    bot's route, for the clip mode) deal with them."""
    changed = ControlSettings().updated({'clip_mode_default': 'vod', 'goals': [], 'agent_suspended': True,
                                         'min_cooldown_seconds': 120})
    assert changed == ControlSettings(min_cooldown_seconds=120)
    assert 'clip_mode_default' not in changed.as_dict()
