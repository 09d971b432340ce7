"""Learning from chat over HTTP, through the same owners the Memory view calls: turn it on or off for a channel
(`PUT /api/memory/learning`), see whether it is on and how many lines wait (`GET`), and have Byte read the gathered
lines now (`POST /api/memory/learning/run`); what it proposes waits, pending, for review (`PATCH /api/memory/{id}`
with `approve`, or `DELETE`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, StrictBool

from app.api.deps import SystemDep, admin_router
from app.api.errors import ApiError
from app.api.memory_routes import Body, EntryJson, entry_json, login_of, refused
from runtime.llm.client import LlmUnavailable
from runtime.memory.entries import MemoryError
from runtime.storage import StorageError

router = admin_router('memory')


class LearningAnswer(BaseModel):
    ok: Literal[True] = True
    channel: str
    learns_from_chat: bool
    waiting_lines: int  # gathered since the last run
    min_lines: int  # a scheduled run waits for this many
    interval_seconds: int


class RunAnswer(BaseModel):
    ok: Literal[True] = True
    proposed: list[EntryJson]  # pending, waiting for review


class LearningChange(Body):
    channel: str = Field(min_length=1, max_length=40)
    learns_from_chat: StrictBool
    reason: str = Field(default='api', max_length=200)


class LearningRun(Body):
    channel: str = Field(min_length=1, max_length=40)


def learning_answer(system: SystemDep, login: str) -> LearningAnswer:
    runtime = system.channels.get(login)
    if runtime is None:
        raise ApiError(404, 'not_found', f'#{login} is not joined')
    learning = system.memory_learning
    return LearningAnswer(channel=login, learns_from_chat=runtime.learns_from_chat,
                          waiting_lines=learning.waiting(login), min_lines=learning.settings.min_lines,
                          interval_seconds=learning.settings.interval_seconds)


@router.get('/memory/learning', response_model=LearningAnswer)
async def learning_state(system: SystemDep, channel: str | None = None) -> LearningAnswer:
    return learning_answer(system, login_of(channel))


@router.put('/memory/learning', response_model=LearningAnswer)
async def set_learning(system: SystemDep, body: LearningChange) -> LearningAnswer:
    """Turn learning from chat on or off for a joined channel (written through before the answer)."""
    login = login_of(body.channel)
    learning_answer(system, login)  # 404 for a channel that is not joined
    try:
        await system.channels.set_learning(login, body.learns_from_chat, reason=body.reason)
    except StorageError as error:
        raise refused(error) from None
    return learning_answer(system, login)


@router.post('/memory/learning/run', response_model=RunAnswer)
async def learn_now(system: SystemDep, body: LearningRun) -> RunAnswer:
    """Have Byte read the channel's gathered lines now; the facts it proposes come back, pending."""
    login = login_of(body.channel)
    learning_answer(system, login)
    try:
        proposed = await system.memory_learning.extract(login)
    except LlmUnavailable as error:
        raise ApiError(503, 'llm_unavailable', str(error)) from None
    except (MemoryError, StorageError) as error:
        raise refused(error) from None
    return RunAnswer(proposed=[entry_json(entry, login) for entry in proposed])
