"""The streamer's timers: the only code that reads or writes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from persistence.models import Channel, utc_now
from persistence.models.commands import ChatTimer


class TimerRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def every_channel(self) -> list[tuple[str, ChatTimer]]:
        """Every timer, with its channel's login."""
        with Session(self.engine, expire_on_commit=False) as session:
            rows = session.exec(select(Channel.login, ChatTimer).join(
                Channel, col(Channel.id) == ChatTimer.channel_id).order_by(col(ChatTimer.name)))
            return [(login, timer) for login, timer in rows]

    def save(self, timer: ChatTimer) -> ChatTimer:
        """Insert or update a timer; IntegrityError when the channel has a timer of that name already."""
        with Session(self.engine, expire_on_commit=False) as session:
            timer.updated_at = utc_now()
            timer = session.merge(timer)
            session.commit()
            session.refresh(timer)
            return timer

    def delete(self, timer_id: int) -> bool:
        with Session(self.engine) as session:
            timer = session.get(ChatTimer, timer_id)
            if timer is None:
                return False
            session.delete(timer)
            session.commit()
            return True

    def note_run(self, timer_id: int, at: datetime, next_index: int) -> None:
        with Session(self.engine) as session:
            session.execute(update(ChatTimer).where(col(ChatTimer.id) == timer_id).values(
                last_run_at=at, next_index=next_index, run_count=ChatTimer.run_count + 1))
            session.commit()
