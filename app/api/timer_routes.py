"""A channel's timers over HTTP, through the same owner methods as the dashboard: list (with why each is waiting),
add, change, delete, and send one's next message now."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from app.api.deps import JoinedLogin, SystemDep, admin_router
from app.api.errors import ApiError
from runtime.timers import (
    MAX_INTERVAL_MINUTES,
    MAX_MESSAGE,
    MAX_MESSAGES,
    MAX_MIN_LINES,
    TimerCard,
    TimerError,
    TimerSpec,
)

router = admin_router('timers')


class TimerChange(BaseModel):
    """A change: what it omits stays as it is."""
    model_config = ConfigDict(extra='forbid')
    name: str | None = Field(default=None, min_length=1, max_length=40)
    messages: list[str] | None = Field(default=None, min_length=1, max_length=MAX_MESSAGES)
    interval_minutes: int | None = Field(default=None, ge=1, le=MAX_INTERVAL_MINUTES)
    min_lines: int | None = Field(default=None, ge=0, le=MAX_MIN_LINES)
    online_only: StrictBool | None = None
    is_enabled: StrictBool | None = None


class TimerBody(TimerChange):
    name: str = Field(min_length=1, max_length=40)
    messages: list[str] = Field(min_length=1, max_length=MAX_MESSAGES)


def timer_json(card: TimerCard) -> dict[str, Any]:
    spec = card.spec
    return {'id': card.id, 'name': spec.name, 'messages': list(spec.messages),
            'interval_minutes': spec.interval_minutes, 'min_lines': spec.min_lines, 'online_only': spec.online_only,
            'is_enabled': spec.is_enabled,
            'next_index': card.next_index, 'run_count': card.run_count, 'lines_since': card.lines_since,
            'last_run_at': card.last_run_at.isoformat() if card.last_run_at else None,
            'waiting_for': card.waiting_for}


def _card(system: SystemDep, login: str, timer_id: int) -> dict[str, Any]:
    card = next((card for card in system.timers.cards(login) if card.id == timer_id), None)
    if card is None:
        raise ApiError(404, 'timer_not_found', f'#{login} has no timer {timer_id}')
    return timer_json(card)


def _messages_fit(messages: list[str] | None) -> None:
    if messages and any(len(message) > MAX_MESSAGE for message in messages):
        raise ApiError(400, 'invalid_timer', f'a message is at most {MAX_MESSAGE} characters')


@router.get('/channels/{login}/timers')
async def list_timers(system: SystemDep, runtime: JoinedLogin) -> dict[str, Any]:
    return {'ok': True, 'channel': runtime.login, 'timers': [timer_json(card) for card in
                                                             system.timers.cards(runtime.login)]}


@router.post('/channels/{login}/timers', status_code=201)
async def add_timer(system: SystemDep, runtime: JoinedLogin, body: TimerBody) -> dict[str, Any]:
    _messages_fit(body.messages)
    fields = body.model_dump(exclude_none=True)
    try:
        row = await system.timers.save(runtime.login, TimerSpec(**{**fields, 'messages': tuple(body.messages)}))
    except TimerError as error:
        raise ApiError(400, 'invalid_timer', str(error)) from None
    return {'ok': True, 'timer': _card(system, runtime.login, row.id or 0)}


@router.patch('/channels/{login}/timers/{timer_id}')
async def change_timer(system: SystemDep, runtime: JoinedLogin, timer_id: int, body: TimerChange) -> dict[str, Any]:
    _card(system, runtime.login, timer_id)
    _messages_fit(body.messages)
    changes = body.model_dump(exclude_none=True)
    if 'messages' in changes:
        changes['messages'] = tuple(changes['messages'])
    try:
        await system.timers.edit(runtime.login, timer_id, **changes)
    except TimerError as error:
        raise ApiError(400, 'invalid_timer', str(error)) from None
    return {'ok': True, 'timer': _card(system, runtime.login, timer_id)}


@router.delete('/channels/{login}/timers/{timer_id}')
async def delete_timer(system: SystemDep, runtime: JoinedLogin, timer_id: int) -> dict[str, Any]:
    _card(system, runtime.login, timer_id)
    row = await system.timers.delete(runtime.login, timer_id)
    return {'ok': True, 'deleted': row.name}


@router.post('/channels/{login}/timers/{timer_id}/send')
async def send_timer(system: SystemDep, runtime: JoinedLogin, timer_id: int) -> dict[str, Any]:
    """The timer's next message now, whatever its conditions (it goes through the safety gate and the pause)."""
    _card(system, runtime.login, timer_id)
    row = system.timers.by_id(runtime.login, timer_id)
    assert row is not None
    outgoing = await system.timers.send(runtime.login, row)
    return {'ok': True, 'text': outgoing.attempted, 'timer': _card(system, runtime.login, timer_id)}
