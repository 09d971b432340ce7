"""The dashboard's Memory tab: add, search by meaning, pin, edit and delete through the Memory owner, with hostile
text shown as text; and erasing a viewer."""

import asyncio
from collections.abc import Callable

from nicegui import ui
from nicegui.testing import User

from app.system import System
from tests.ui.conftest import log_in


async def eventually(condition: Callable[[], object]) -> None:
    for _ in range(100):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError('the condition did not come true')


async def open_memory_tab(user: User, system: System) -> None:
    await log_in(user, system.new_admin_token)  # it ends on the dashboard
    user.find(marker='memory-tab').click()


def choose(user: User, marker: str, value: str) -> None:
    """Pick an option of a select, as the menu does (its value changes and its handler runs)."""
    select = user.find(marker=marker).elements.pop()
    select.set_value(value)  # type: ignore[attr-defined]


def entry_texts(user: User) -> list[str]:
    """The entries' texts as listed (elements are made in order; `find` returns them unordered)."""
    labels = sorted((label for label in user.find(kind=ui.label).elements if 'memory-text' in label.classes),
                    key=lambda label: label.id)
    return [label.text for label in labels]


async def test_memory_view_adds_searches_pins_edits_and_deletes(user: User, system: System) -> None:
    await open_memory_tab(user, system)
    await user.should_see('0 entries', retries=50)
    user.find(marker='memory-content').type('her cat is called Miso')
    user.find(marker='memory-add').click()
    await user.should_see('1 entry', retries=50)
    user.find(marker='memory-content').type('<b>the boss music</b> is always too loud')
    choose(user, 'memory-kind', 'lore')
    user.find(marker='memory-add').click()
    await user.should_see('<b>the boss music</b> is always too loud', retries=50)  # as text, never as HTML
    channel_id = system.channels.get('demo').channel_id
    rows, total = system.repositories.memory.listing(channel_id=channel_id)
    await user.should_see('2 entries', retries=50)
    rows, total = system.repositories.memory.listing(channel_id=channel_id)
    assert total == 2 and {row.source for row in rows} == {'streamer'}
    assert {row.kind for row in rows} == {'stream', 'lore'}

    user.find(marker='memory-search').type('what is the cat called')
    user.find(marker='memory-search-button').click()
    await user.should_see('entries by meaning', retries=50)
    assert entry_texts(user)[0] == 'her cat is called Miso'

    user.find(marker='memory-search').clear()
    choose(user, 'memory-kind-filter', 'stream')  # only the cat is listed now
    await user.should_see('1 entry', retries=50)
    user.find(marker='memory-pin').click()
    cat = next(row for row in rows if row.kind == 'stream')
    await eventually(lambda: system.repositories.memory.get(cat.entry_id).is_pinned)
    user.find(marker='memory-edit').click()
    user.find(marker='memory-edit-text').clear().type('her cat is called Miso the Great')
    user.find(marker='memory-edit-save').click()
    await eventually(lambda: system.repositories.memory.get(cat.entry_id).content == 'her cat is called Miso the Great')
    await eventually(lambda: 'her cat is called Miso the Great' in entry_texts(user))

    choose(user, 'memory-kind-filter', 'lore')
    await user.should_see('<b>the boss music</b> is always too loud', retries=50)
    user.find(marker='memory-delete').click()
    await user.should_see('0 entries', retries=50)
    await eventually(lambda: system.repositories.memory.listing(channel_id=channel_id)[1] == 1)
    assert [row.kind for row in system.repositories.memory.listing(channel_id=channel_id)[0]] == ['stream']


async def test_forgetting_a_viewer_from_the_memory_view(user: User, system: System) -> None:
    await system.memory.add('demo', 'plays support in Overwatch', kind='viewer', source='streamer', created_by='t',
                            viewer='bob')
    await open_memory_tab(user, system)
    await user.should_see('plays support in Overwatch', retries=50)
    user.find(marker='memory-viewer-filter').type('bob')
    user.find(marker='memory-forget-viewer').click()
    await user.should_see('Erased 1 entries about bob', retries=50)
    await user.should_see('0 entries', retries=50)
    channel_id = system.channels.get('demo').channel_id
    assert system.repositories.memory.ids_of_viewer(channel_id, 'bob', None) == []
    assert system.memory.is_opted_out(channel_id, 'bob')


async def test_learning_from_chat_is_switched_on_and_proposals_are_reviewed(user: User, system: System) -> None:
    await open_memory_tab(user, system)
    await user.should_see('Off: Byte keeps only what you or your moderators add.', retries=50)
    user.find(marker='memory-learning').click()
    await eventually(lambda: system.channels.get('demo').learns_from_chat)
    channel_id = system.channels.get('demo').channel_id
    assert system.repositories.channels.get('demo').learns_from_chat  # written through
    system.simulator.post_as_viewer('demo', 'bob', 'my cat is called Pixel')
    await user.should_see('1 line gathered for the next read', retries=50)
    user.find(marker='memory-learn-now').click()  # the shared loopback LLM answers with no JSON: nothing proposed
    await user.should_see('Nothing worth remembering in the gathered lines.', retries=50)

    await system.memory.add('demo', 'bob has a cat called Pixel', kind='viewer', viewer='bob', source='extraction',
                            created_by='extraction', pending=True)
    await system.memory.add('demo', 'the stream starts at eight', kind='stream', source='streamer', created_by='t')
    await user.should_see('2 entries', retries=50)
    choose(user, 'memory-status-filter', 'pending')
    await user.should_see('1 entry', retries=50)
    assert entry_texts(user) == ['bob has a cat called Pixel']
    user.find(marker='memory-approve').click()
    await eventually(lambda: system.repositories.memory.listing(channel_id=channel_id, status='pending')[1] == 0)
    await user.should_see('0 entries', retries=50)
