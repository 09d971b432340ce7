"""Per-install secrets and HUD items."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from persistence.models import Channel, HudItem, InstallSecret, utc_now


class SecretRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, name: str) -> str | None:
        with Session(self.engine) as session:
            row = session.get(InstallSecret, name)
            return row.value if row else None

    def values(self) -> list[str]:
        """Every stored secret's value (to blank them out of a problem report)."""
        with Session(self.engine) as session:
            return [row.value for row in session.exec(select(InstallSecret))]

    def set(self, name: str, value: str) -> None:
        with Session(self.engine) as session:
            row = session.get(InstallSecret, name) or InstallSecret(name=name, value=value)
            row.value = value
            row.updated_at = utc_now()
            session.add(row)
            session.commit()


class HudRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, item: HudItem) -> HudItem:
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(item)
            session.commit()
            session.refresh(item)
            return item

    def active(self, now: datetime, limit: int) -> list[tuple[HudItem, str | None]]:
        """Items not yet expired with their channel's login (None: for every channel), oldest first."""
        with Session(self.engine, expire_on_commit=False) as session:
            rows = session.exec(
                select(HudItem, Channel.login).join(Channel, col(HudItem.channel_id) == col(Channel.id), isouter=True)
                .where(col(HudItem.expires_at) > now).order_by(col(HudItem.id).desc()).limit(limit)
            ).all()
        return [(item, login) for item, login in reversed(rows)]

    def purge_expired(self, now: datetime) -> int:
        with Session(self.engine) as session:
            result = session.execute(delete(HudItem).where(col(HudItem.expires_at) <= now))
            session.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
