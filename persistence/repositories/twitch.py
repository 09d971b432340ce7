"""The bot account's Twitch tokens and the install settings."""

from __future__ import annotations

from sqlalchemy import Engine, delete
from sqlmodel import Session, select

from persistence.models import InstallSetting, TwitchToken, utc_now


class TokenRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def current(self) -> TwitchToken | None:
        """The bot account's tokens (Byte keeps one account)."""
        with Session(self.engine, expire_on_commit=False) as session:
            return session.exec(select(TwitchToken)).first()

    def replace(self, token: TwitchToken) -> TwitchToken:
        """Store the account's tokens, replacing any other account's."""
        with Session(self.engine, expire_on_commit=False) as session:
            session.execute(delete(TwitchToken).where(TwitchToken.user_id != token.user_id))  # type: ignore[arg-type]
            token.updated_at = utc_now()
            merged = session.merge(token)
            session.commit()
            session.refresh(merged)
            return merged

    def clear(self) -> None:
        with Session(self.engine) as session:
            session.execute(delete(TwitchToken))
            session.commit()


class SettingRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, name: str) -> str | None:
        with Session(self.engine) as session:
            row = session.get(InstallSetting, name)
            return row.value if row else None

    def set(self, name: str, value: str) -> None:
        with Session(self.engine) as session:
            row = session.get(InstallSetting, name) or InstallSetting(name=name, value=value)
            row.value = value
            row.updated_at = utc_now()
            session.add(row)
            session.commit()
