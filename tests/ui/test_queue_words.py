"""The approval queue on /control reads as words: what kind of item, for which channel, in what state."""

from nicegui.testing import User

from app.system import System
from runtime.autonomy.kinds import ActionKind
from tests.ui.conftest import log_in


async def test_the_queue_says_what_each_item_is_in_words(user: User, system: System) -> None:
    await system.actions.propose('demo', ActionKind.SUGGESTION, 'suggest_streamer', 'ask chat about the boss',
                                 'ask chat about the boss', {'goal_id': 'hint'}, dedupe_key='words:1')
    await log_in(user, system.new_admin_token)
    await user.open('/control')
    await user.should_see('Waiting for your approval')
    await user.should_see('Suggestion · #demo · waiting for you', retries=30)
    await user.should_see('1 waiting for you · 0 approved · 0 rejected · 0 expired unanswered')
    await user.should_not_see('suggest_streamer')
    await user.should_not_see('pending 1')
