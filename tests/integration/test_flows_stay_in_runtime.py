"""The three flows named in docs/architecture.md run inside runtime/ (and persistence/) from trigger to effect:
app/ only builds the owners. Measured by the files the interpreter enters while each flow runs."""

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from runtime.autonomy.kinds import ActionKind, ClipCandidate
from tests.integration.brain_setup import brain_system, settle
from tests.support import ROOT

LAYERS = ('app', 'components', 'persistence', 'runtime')


@contextmanager
def files_entered() -> Iterator[set[str]]:
    entered: set[str] = set()
    prefix = f'{ROOT}/'

    def hook(frame: FrameType, event: str, _arg: Any) -> None:
        if event == 'call' and frame.f_code.co_filename.startswith(prefix):
            relative = frame.f_code.co_filename.removeprefix(prefix)
            if relative.split('/')[0] in LAYERS:
                entered.add(relative)

    sys.setprofile(hook)
    threading.setprofile(hook)
    try:
        yield entered
    finally:
        sys.setprofile(None)
        threading.setprofile(None)


def outside_runtime(files: set[str]) -> list[str]:
    return sorted(name for name in files if not name.startswith(('runtime/', 'persistence/')))


async def test_a_reply_a_clip_approval_and_panic_stay_in_the_runtime(tmp_path: Path) -> None:
    async with brain_system(tmp_path, twitch_channels='alpha') as byte:
        simulator = byte.simulator
        assert simulator is not None
        with files_entered() as reply:
            simulator.post_as_viewer('alpha', 'viewer1', 'byte what game is this?')
            await settle(byte)
        assert byte.fake_llm.requests and {'runtime/brain/brain.py', 'runtime/outbound.py'} <= reply  # type: ignore[attr-defined]
        candidate = ClipCandidate(goal_id='detect_clip', suggested_title='what a save', broadcaster_login='alpha')
        item, _ = await byte.actions.propose('alpha', ActionKind.CLIP_CANDIDATE, 'clip_candidate', 'Clip: save',
                                             'what a save', candidate.payload())
        with files_entered() as clip:
            decided = await byte.actions.decide(item.id, 'approve', '', actor='test')
            await settle(byte)
        assert decided.status in {'done', 'failed'} and 'runtime/clips/jobs.py' in clip
        byte.outbound.request('alpha', 'a queued line', origin='test', is_automatic=False)
        with files_entered() as panic:
            await byte.control.suspend('test')
            await settle(byte)
        assert 'runtime/control/plane.py' in panic and 'runtime/outbound.py' in panic
        assert (outside_runtime(reply), outside_runtime(clip), outside_runtime(panic)) == ([], [], [])


async def test_every_chat_command_is_in_the_one_registry(tmp_path: Path) -> None:
    async with brain_system(tmp_path, twitch_channels='alpha') as byte:
        assert byte.commands.names == ['approve', 'clip', 'cmd', 'forget', 'help', 'join', 'list', 'o', 'part',
                                       'permit', 'reject', 'remember', 'status', 'what']
        found = byte.commands.find('byte canais', 'canais')  # the owner's list, in Portuguese
        assert found is not None and (found.command.name, found.command.who) == ('list', 'owners')
