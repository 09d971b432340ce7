"""The shapes of the API's answers, for the OpenAPI schema and its checks. Every success carries `ok: true`;
every error is `ErrorAnswer`. Groups that grow with Byte (snapshot groups, tick results) are typed as objects
whose members the route documentation names."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Answer(BaseModel):
    model_config = ConfigDict(extra='allow')
    ok: Literal[True] = True


class ErrorAnswer(BaseModel):
    ok: Literal[False] = False
    error: str = Field(description='a stable code, e.g. invalid_request, unauthorized, channel_not_joined')
    message: str = Field(description='what went wrong, for a human')


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {'model': ErrorAnswer, 'description': description} for status, description in (
        (400, 'invalid input'), (401, 'no admin token'), (403, 'wrong admin token, or a cross-site request'),
        (404, 'not found'), (409, 'conflicts with the current state'), (413, 'body too large'),
        (421, 'a host name Byte does not answer to'), (429, 'rate limited (see Retry-After)'),
        (502, 'Twitch refused'), (503, 'database or Byte not available'))}


# -- health and channels ----------------------------------------------------------------------------------------

class HealthAnswer(BaseModel):
    ok: bool
    status: str
    reason: str
    version: str
    database: dict[str, Any]
    transport: dict[str, Any]


class ChannelInfo(BaseModel):
    model_config = ConfigDict(extra='allow')
    login: str
    is_paused: bool | None = None


class ChannelsAnswer(Answer):
    channels: list[ChannelInfo]
    waiting: list[dict[str, str]]


class ChannelAnswer(Answer):
    channel: ChannelInfo


class PartAnswer(Answer):
    login: str


class NotesAnswer(Answer):
    login: str
    notes: str


class ChatLineInfo(BaseModel):
    id: str
    author: str
    text: str
    is_bot: bool
    sent_at: str


class ChatLinesAnswer(Answer):
    lines: list[ChatLineInfo]


class PostedAnswer(Answer):
    id: str


class HudItemAnswer(Answer):
    id: int
    text: str
    audience: str  # 'streamer' (the streamer-only overlay) or 'viewers' (the public overlay too)
    expires_at: str


class OverlayAnswer(Answer):
    overlay_path: str  # the public overlay, for an OBS scene
    streamer_overlay_path: str  # Byte's tips and private notes: an OBS dock or a second screen, never a scene


# -- the earlier bot's channel routes ----------------------------------------------------------------------------

class ChannelConfig(BaseModel):
    channel_id: str
    temperature: float | None
    top_p: float | None
    agent_paused: bool
    has_override: bool
    source: str


class ChannelConfigAnswer(Answer):
    mode: str
    channel: ChannelConfig


class AgentNote(BaseModel):
    channel_id: str
    notes: str
    has_notes: bool
    source: str


class AgentNotesAnswer(Answer):
    mode: str
    note: AgentNote


class ChannelContextAnswer(Answer):
    mode: str
    channel: dict[str, Any] = Field(description='channel_id, runtime_loaded, runtime (live context) and the '
                                                'persisted state')


class ChatSendAnswer(Answer):
    route: str | None
    replies: list[str] = Field(description='what Byte sent to chat (only messages Twitch took)')
    outcomes: list[str] = Field(default=[], description='what became of each message: sent, rejected, refused, '
                                                        'dropped')
    blocked: list[str] = Field(default=[], description='why the safety gate refused or rewrote the answer')
    attempted: list[str] = Field(default=[], description='the answer before the safety gate, when it changed it')
    safety: str | None = Field(default=None, description="the safety gate's verdict: sent, rewritten or refused")
    message: str | None = None


# -- control plane ----------------------------------------------------------------------------------------------

class ControlPlaneAnswer(Answer):
    mode: str
    config: dict[str, Any] = Field(description='the switches, heartbeat, budgets, queue window and goals')
    autonomy: dict[str, Any] = Field(description='the autonomy runtime: state, counters, budget usage, queue')
    capabilities: dict[str, Any]
    action: str | None = None
    reason: str | None = None


class ActionItem(BaseModel):
    model_config = ConfigDict(extra='allow')
    id: int
    channel: str
    kind: str
    risk: str
    title: str
    body: str
    payload: dict[str, Any]
    status: str
    created_at: str
    updated_at: str
    expires_at: str


class ActionQueueAnswer(Answer):
    mode: str
    items: list[ActionItem]
    summary: dict[str, int]
    expired: list[ActionItem]


class DecisionAnswer(Answer):
    mode: str
    item: ActionItem


class TickAnswer(Answer):
    reason: str
    force: bool
    processed: list[dict[str, Any]]
    runtime: dict[str, Any]


class SentimentAnswer(Answer):
    channel: str
    avg: float
    count: int
    messages_5m: int
    positive_ratio: float
    confused_ratio: float
    vibe: str


class HudMessage(BaseModel):
    id: int
    ts: float
    text: str
    source: str
    channel: str | None
    audience: str  # 'streamer' or 'viewers'; the earlier bot's HUD was the streamer's, so it lists both


class HudMessagesAnswer(Answer):
    messages: list[HudMessage]


# -- observability ----------------------------------------------------------------------------------------------

class SnapshotAnswer(Answer):
    timestamp: str
    bot: dict[str, Any]
    metrics: dict[str, Any]
    chatters: dict[str, Any]
    chat_analytics: dict[str, Any]
    leaderboards: dict[str, Any]
    agent_outcomes: dict[str, Any]
    context: dict[str, Any]
    routes: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    safety: dict[str, Any] = Field(default={}, description='what the safety gate refused or rewrote in the last 24 h, '
                                                           'per reason, channel and verdict')
    recent_events: list[dict[str, Any]]
    sentiment: dict[str, Any]
    health: dict[str, Any]
    persistence: dict[str, Any]


class HistoryAnswer(Answer):
    channel: str | None
    range: str
    period: str
    start: str
    end: str
    points: list[dict[str, Any]]
    summary: dict[str, Any]


class CompareAnswer(Answer):
    range: str
    channels: list[dict[str, Any]] = Field(description='per channel: channel, summary, points')


class ReportsAnswer(Answer):
    reports: list[dict[str, Any]]


class ReportAnswer(Answer):
    report: dict[str, Any]


class EarlierReportAnswer(Answer):
    has_report: bool
    generated: bool
    report: dict[str, Any] | None
    selected_channel: str | None
    history_points: int = Field(description='minutes the report covers')


# -- clips ------------------------------------------------------------------------------------------------------

class ClipJobInfo(BaseModel):
    id: int
    job_id: str
    channel: str
    broadcaster_id: str | None
    source: str
    requested_by: str
    action_id: int | None
    mode: str
    title: str
    duration: float
    status: str
    twitch_clip_id: str | None
    edit_url: str | None
    clip_url: str | None
    thumbnail_url: str | None
    error: str | None
    attempts: int
    created_at: str
    updated_at: str
    finished_at: str | None


class ClipJobsAnswer(Answer):
    mode: str
    items: list[ClipJobInfo]
    last_24h: dict[str, int]


class ClipJobAnswer(Answer):
    job: ClipJobInfo
