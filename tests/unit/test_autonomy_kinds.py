"""What the action queue stores for a proposal keeps the earlier bot's field names, and reads back typed."""

import pytest

from runtime.autonomy.kinds import BudgetBlock, ClipCandidate, GoalOutcome, ModerationReview


def test_a_clip_candidate_is_stored_with_the_earlier_fields_and_read_back() -> None:
    candidate = ClipCandidate(goal_id='detect_clip', suggested_title='what a save', broadcaster_login='alpha')
    payload = candidate.payload()
    assert payload == {'goal_id': 'detect_clip', 'suggested_title': 'what a save', 'broadcaster_login': 'alpha',
                       'suggested_duration': 30, 'mode': 'live', 'source': 'autonomy_goal'}
    assert ClipCandidate.from_payload(payload, 'item title') == candidate


def test_a_clip_candidate_from_an_older_or_edited_payload_is_bounded() -> None:
    assert ClipCandidate.from_payload({'suggested_duration': 600}, 'item title').suggested_duration == 60
    assert ClipCandidate.from_payload({}, 'item title').suggested_title == 'item title'
    with pytest.raises(ValueError):
        ClipCandidate.from_payload({'suggested_duration': 'long'}, 'item title')


def test_a_moderation_review_round_trips_and_fills_what_an_older_payload_lacks() -> None:
    review = ModerationReview(goal_id='safety_watch', action='timeout', message_id='m1', user_id='42', user='troll',
                              text='spam', reason='spam links')
    assert ModerationReview.from_payload(review.payload()) == review
    older = ModerationReview.from_payload({'action': 'delete', 'message_id': 'm2', 'user_id': None})
    assert (older.user_id, older.reason, older.duration_seconds) == ('', 'chat rules', 600)


def test_the_words_are_the_earlier_bots() -> None:
    assert (BudgetBlock.SUSPENDED, GoalOutcome.SUSPENDED) == ('agent_suspended', 'suspended')
    assert f'{GoalOutcome.CHANNEL_PAUSED}' == 'channel_paused'  # as stored and shown
