"""Chat filter settings and actions: the only code that reads or writes them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from persistence.models import Channel, utc_now
from persistence.models.filters import ChannelFilters, FilterAction


class FilterRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def every_channel(self) -> list[tuple[str, dict[str, Any]]]:
        """Each channel's settings document, with its login."""
        with Session(self.engine) as session:
            rows = session.exec(select(Channel.login, ChannelFilters.document).join(
                Channel, col(Channel.id) == ChannelFilters.channel_id))
            return [(login, dict(document)) for login, document in rows]

    def save_settings(self, channel_id: int, document: dict[str, Any]) -> None:
        with Session(self.engine) as session:
            row = session.get(ChannelFilters, channel_id) or ChannelFilters(channel_id=channel_id)
            row.document, row.updated_at = document, utc_now()
            session.add(row)
            session.commit()

    def add_action(self, action: FilterAction) -> FilterAction:
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(action)
            session.commit()
            session.refresh(action)
            return action

    def latest_actions(self, channel_id: int, limit: int = 100) -> list[FilterAction]:
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(select(FilterAction).where(FilterAction.channel_id == channel_id)
                                     .order_by(col(FilterAction.id).desc()).limit(limit)))
