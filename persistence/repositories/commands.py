"""The streamer's chat commands: the only code that reads or writes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from persistence.models import Channel, utc_now
from persistence.models.commands import CustomCommand


class CommandRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def every_channel(self) -> list[tuple[str, CustomCommand]]:
        """Every command, with its channel's login."""
        with Session(self.engine, expire_on_commit=False) as session:
            rows = session.exec(select(Channel.login, CustomCommand).join(
                Channel, col(Channel.id) == CustomCommand.channel_id).order_by(col(CustomCommand.name)))
            return [(login, command) for login, command in rows]

    def of_channel(self, channel_id: int) -> list[CustomCommand]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(CustomCommand).where(CustomCommand.channel_id == channel_id)
                                     .order_by(col(CustomCommand.name))))

    def save(self, command: CustomCommand) -> CustomCommand:
        """Insert or update a command; IntegrityError when the channel has a command of that name already."""
        with Session(self.engine, expire_on_commit=False) as session:
            command.updated_at = utc_now()
            command = session.merge(command)
            session.commit()
            session.refresh(command)
            return command

    def delete(self, command_id: int) -> bool:
        with Session(self.engine) as session:
            command = session.get(CustomCommand, command_id)
            if command is None:
                return False
            session.delete(command)
            session.commit()
            return True

    def note_use(self, command_id: int, at: datetime, count: int | None = None) -> None:
        """One more use; `count`: a counter's new value, written with it."""
        values: dict[str, object] = {'use_count': CustomCommand.use_count + 1, 'last_used_at': at}
        if count is not None:
            values['count'] = count
        with Session(self.engine) as session:
            session.execute(update(CustomCommand).where(col(CustomCommand.id) == command_id).values(**values))
            session.commit()
