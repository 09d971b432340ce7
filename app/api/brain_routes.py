"""The earlier Byte Bot's channel routes, with its route names and fields, so its scripts keep working:
channel-config, agent-notes, channel-context and chat/send."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from app.api.answers import AgentNotesAnswer, ChannelConfigAnswer, ChannelContextAnswer, ChatSendAnswer
from app.api.errors import ApiError
from app.api.joined import joined_channel
from runtime.channels import ChannelRuntime
from runtime.chat import ChatLine

if TYPE_CHECKING:
    from app.system import System

TRUE_WORDS, FALSE_WORDS = {'1', 'true', 'yes', 'on'}, {'0', 'false', 'no', 'off'}


class ChannelConfigBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    channel_id: str = Field(min_length=1, max_length=40)
    temperature: float | None = Field(default=None, ge=0, le=2)  # omitted or null: back to the model's default
    top_p: float | None = Field(default=None, ge=0, le=1)
    agent_paused: StrictBool | None = None  # omitted: keep the stored value
    # read-only fields of the GET answer, accepted (and ignored) so a GET -> edit -> PUT round trip works
    has_override: bool | None = None
    source: str | None = None
    updated_at: str | None = None

    @field_validator('agent_paused', mode='before')
    @classmethod
    def _flag(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool) and value in {0, 1}:
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
            return value.strip().lower() in TRUE_WORDS
        return value


class AgentNotesBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    channel_id: str = Field(min_length=1, max_length=40)
    notes: str = Field(max_length=4000)


class ChatSendBody(BaseModel):
    model_config = ConfigDict(extra='forbid')
    channel_id: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=500)
    author: str = Field(default='api', min_length=1, max_length=25)


def add_brain_routes(admin: APIRouter, system: System) -> None:
    def joined(channel: str | None) -> ChannelRuntime:
        return joined_channel(system, channel)

    def mode() -> str:
        return system.transport.status.name

    def config_json(runtime: ChannelRuntime) -> dict[str, Any]:
        return {'channel_id': runtime.login, 'temperature': runtime.temperature, 'top_p': runtime.top_p,
                'agent_paused': runtime.is_paused,
                'has_override': runtime.temperature is not None or runtime.top_p is not None or runtime.is_paused,
                'source': 'database'}

    def notes_json(runtime: ChannelRuntime) -> dict[str, Any]:
        return {'channel_id': runtime.login, 'notes': runtime.notes, 'has_notes': bool(runtime.notes),
                'source': 'database'}

    @admin.get('/channel-config', response_model=ChannelConfigAnswer)
    async def get_channel_config(channel: str | None = None) -> dict[str, Any]:
        return {'ok': True, 'mode': mode(), 'channel': config_json(joined(channel))}

    @admin.put('/channel-config', response_model=ChannelConfigAnswer)
    async def put_channel_config(body: ChannelConfigBody) -> dict[str, Any]:
        runtime = joined(body.channel_id)
        await system.channels.set_tuning(runtime.login, body.temperature, body.top_p, reason='api')
        if body.agent_paused is not None:
            await system.channels.set_paused(runtime.login, body.agent_paused, reason='api')
        return {'ok': True, 'mode': mode(), 'channel': config_json(runtime)}

    @admin.get('/agent-notes', response_model=AgentNotesAnswer)
    async def get_agent_notes(channel: str | None = None) -> dict[str, Any]:
        return {'ok': True, 'mode': mode(), 'note': notes_json(joined(channel))}

    @admin.put('/agent-notes', response_model=AgentNotesAnswer)
    async def put_agent_notes(body: AgentNotesBody) -> dict[str, Any]:
        runtime = joined(body.channel_id)
        try:
            await system.channels.set_notes(runtime.login, body.notes, reason='api')
        except ValueError as error:
            raise ApiError(400, 'invalid_request', str(error)) from None
        return {'ok': True, 'mode': mode(), 'note': notes_json(runtime)}

    @admin.get('/channel-context', response_model=ChannelContextAnswer)
    async def get_channel_context(channel: str | None = None) -> dict[str, Any]:
        runtime = joined(channel)
        persisted = await system.context_inspector.persisted(runtime)
        return {'ok': True, 'mode': mode(), 'channel': {
            'channel_id': runtime.login, 'runtime_loaded': True,
            'runtime': system.context_inspector.live(runtime), **persisted}}

    @admin.post('/chat/send', response_model=ChatSendAnswer)
    async def chat_send(body: ChatSendBody) -> dict[str, Any]:
        runtime = joined(body.channel_id)
        line = ChatLine(channel=runtime.login, message_id=f'api-{uuid.uuid4()}', author=body.author,
                        author_id=f'api-{body.author.lower()}'[:32], text=body.text, sent_at=system.clock.now(),
                        is_local=True)  # Twitch knows no such message: Byte's answer is not a reply to it
        system.pipeline.ingest(line, notify_listeners=False)  # stored and shown like any chat line
        interaction = await system.dispatcher.process(line)
        if interaction is None:
            return {'ok': True, 'route': None, 'replies': [],
                    'message': f'not addressed to Byte: start with "{system.settings.trigger_word}"'}
        return {'ok': True, 'route': interaction.route, 'replies': interaction.replies,
                'outcomes': interaction.outcomes, 'blocked': interaction.blocked, 'attempted': interaction.attempted,
                'safety': interaction.safety or None}
