"""What the Settings page does, over HTTP: the chat mode, the LLM, the Twitch application and account.

Each route calls the same owner method as the dashboard. Secrets (the API key, the client secret, Twitch tokens)
never leave Byte: answers only say whether one is stored."""

from __future__ import annotations

from typing import Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, StrictBool

from app.api.deps import SystemDep, admin_router
from app.api.errors import ApiError
from app.system import System
from components.chat_mode import MODE_LABELS
from runtime.llm.client import LlmUnavailable
from runtime.llm.presets import PRESETS, preset_of
from runtime.twitch.account import NO_APP
from runtime.twitch.oauth import OAuthError

router = admin_router('settings')


class Body(BaseModel):
    model_config = ConfigDict(extra='forbid')


class ChatModeBody(Body):
    mode: str = Field(min_length=1, max_length=20)


class LlmBody(Body):
    base_url: str | None = Field(default=None, min_length=1, max_length=500)  # omitted: keep the current one
    model: str | None = Field(default=None, min_length=1, max_length=200)
    api_key: SecretStr | None = Field(default=None, min_length=1, max_length=500)  # omitted: keep the stored key
    remove_key: StrictBool = False


class LlmTrialBody(Body):
    base_url: str | None = Field(default=None, min_length=1, max_length=500)  # omitted: the saved one
    model: str | None = Field(default=None, min_length=1, max_length=200)
    api_key: SecretStr | None = Field(default=None, min_length=1, max_length=500)  # omitted: the stored key


class TwitchAppBody(Body):
    client_id: str = Field(min_length=1, max_length=100)
    client_secret: SecretStr | None = Field(default=None, min_length=1, max_length=100)  # omitted: keep it
    remove_secret: StrictBool = False


class TransportJson(BaseModel):
    name: str
    state: str
    detail: str
    can_send: bool


class ChatModeJson(BaseModel):
    mode: str
    choices: dict[str, str]
    is_forced: bool  # BYTE_TWITCH_MODE fixes the mode; the API and the dashboard cannot change it
    transport: TransportJson


class LlmStatusJson(BaseModel):
    state: str
    reason: str
    model: str
    last_latency_ms: float


class LlmJson(BaseModel):
    base_url: str
    model: str
    preset: str  # a name of `presets`, or 'custom'
    presets: dict[str, str]  # name -> base URL
    has_api_key: bool
    source: str
    status: LlmStatusJson


class TwitchStatusJson(BaseModel):
    state: str
    login: str
    user_id: str
    detail: str
    refresh_count: int
    last_refresh: str
    user_code: str
    verification_uri: str  # with user_code: where the streamer enters the code while connecting
    problem: str  # why the last try to connect failed and what to do, until one succeeds


class TwitchJson(TwitchStatusJson):
    has_client_id: bool  # a Twitch application is set up (settings or Settings page): an account can be connected
    client_id: str  # the application's client id (public: Twitch shows it to every viewer of the login page)
    has_client_secret: bool
    app_source: str  # 'settings' (BYTE_TWITCH_CLIENT_ID), 'dashboard' (stored) or ''


class ProbeJson(BaseModel):
    is_reachable: bool
    reply: str = ''
    model: str = ''
    latency_ms: float | None = None
    reason: str = ''


class Answer(BaseModel):
    ok: Literal[True] = True


class SettingsAnswer(Answer):
    chat_mode: ChatModeJson
    llm: LlmJson
    twitch: TwitchJson


class ChatModeAnswer(Answer):
    chat_mode: ChatModeJson


class LlmAnswer(Answer):
    llm: LlmJson


class ProbeAnswer(Answer):
    result: ProbeJson


class DeviceCodeAnswer(Answer):
    user_code: str
    verification_uri: str
    expires_in: int
    state: str


class TwitchAnswer(Answer):
    twitch: TwitchJson


def chat_mode_json(system: System) -> ChatModeJson:
    return ChatModeJson(mode=system.chat_modes.mode, choices={str(mode): label for mode, label in MODE_LABELS.items()},
                        is_forced=system.chat_modes.is_fixed_by_settings,
                        transport=TransportJson.model_validate(system.transport.status, from_attributes=True))


def llm_json(system: System) -> LlmJson:
    config = system.llm_config
    return LlmJson(base_url=config.base_url, model=config.model, preset=preset_of(config.base_url), presets=PRESETS,
                   has_api_key=bool(config.api_key), source=config.source,
                   status=LlmStatusJson.model_validate(system.llm.status, from_attributes=True))


def twitch_json(system: System) -> TwitchJson:
    """The account's state; only the fields named in TwitchJson are read, so no token can slip into an answer."""
    status = TwitchStatusJson.model_validate(system.account.status, from_attributes=True)
    app = system.twitch_app
    return TwitchJson(**status.model_dump(), has_client_id=app.credentials is not None, client_id=app.client_id or '',
                      has_client_secret=bool(app.credentials and app.credentials.client_secret),
                      app_source=app.source)


@router.get('/settings', response_model=SettingsAnswer)
async def get_settings(system: SystemDep) -> SettingsAnswer:
    return SettingsAnswer(chat_mode=chat_mode_json(system), llm=llm_json(system), twitch=twitch_json(system))


@router.put('/settings/chat-mode', response_model=ChatModeAnswer)
async def put_chat_mode(system: SystemDep, body: ChatModeBody) -> ChatModeAnswer:
    if system.chat_modes.is_fixed_by_settings:
        raise ApiError(409, 'mode_forced', f'BYTE_TWITCH_MODE fixes the chat mode to {system.chat_modes.mode}; '
                                           'change it there')
    try:
        await system.chat_switch.use(body.mode, reason='api')
    except ValueError as error:
        raise ApiError(400, 'invalid_mode', str(error)) from None
    return ChatModeAnswer(chat_mode=chat_mode_json(system))


@router.put('/settings/llm', response_model=LlmAnswer)
async def put_llm(system: SystemDep, body: LlmBody) -> LlmAnswer:
    if body.remove_key and body.api_key is not None:
        raise ApiError(400, 'invalid_request', 'send either api_key or remove_key, not both')
    config = system.llm_config
    api_key = '' if body.remove_key else body.api_key.get_secret_value() if body.api_key is not None else None
    try:
        await config.save(system.repositories, body.base_url or config.base_url, body.model or config.model,
                          api_key, reason='api')
    except ValueError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    return LlmAnswer(llm=llm_json(system))


@router.post('/settings/llm/test', response_model=ProbeAnswer)
async def test_llm(system: SystemDep, body: LlmTrialBody | None = None) -> ProbeAnswer:
    """Without a body: the saved settings. With one: those settings, unsaved (omitted fields: the saved ones; no
    key: the stored key, for the same provider only)."""
    config = system.llm_config
    key = body.api_key.get_secret_value() if body and body.api_key is not None else None
    try:
        if body is None:
            completion = await system.llm.test()
        else:
            completion = await system.llm.try_settings(body.base_url or config.base_url, body.model or config.model,
                                                       key)
    except ValueError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    except LlmUnavailable as error:
        reason = str(error)
        for secret in (key, config.api_key):
            reason = reason.replace(secret, '***') if secret else reason
        return ProbeAnswer(result=ProbeJson(is_reachable=False, reason=reason))
    return ProbeAnswer(result=ProbeJson(is_reachable=True, reply=completion.text.strip()[:200],
                                        model=completion.model, latency_ms=round(completion.latency_ms, 1)))


@router.post('/twitch/connect', response_model=DeviceCodeAnswer)
async def connect_twitch(system: SystemDep) -> DeviceCodeAnswer:
    if system.account.oauth is None:
        raise ApiError(409, 'no_app', NO_APP)
    try:
        device = await system.account.start_device_flow()
    except OAuthError:
        raise ApiError(502, 'twitch_refused', system.account.status.problem) from None
    except httpx.HTTPError:
        raise ApiError(502, 'twitch_unreachable', system.account.status.problem) from None
    return DeviceCodeAnswer(user_code=device.user_code, verification_uri=device.verification_uri,
                            expires_in=device.expires_in, state=system.account.status.state)


@router.put('/settings/twitch/app', response_model=TwitchAnswer)
async def put_twitch_app(system: SystemDep, body: TwitchAppBody) -> TwitchAnswer:
    if body.remove_secret and body.client_secret is not None:
        raise ApiError(400, 'invalid_request', 'send either client_secret or remove_secret, not both')
    secret = '' if body.remove_secret else body.client_secret.get_secret_value() if body.client_secret else None
    try:
        await system.twitch_app.save(body.client_id, secret, reason='api')
    except ValueError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    return TwitchAnswer(twitch=twitch_json(system))


@router.delete('/settings/twitch/app', response_model=TwitchAnswer)
async def forget_twitch_app(system: SystemDep) -> TwitchAnswer:
    await system.twitch_app.forget(reason='api')
    return TwitchAnswer(twitch=twitch_json(system))


@router.delete('/twitch/account', response_model=TwitchAnswer)
async def disconnect_twitch(system: SystemDep) -> TwitchAnswer:
    await system.account.disconnect(reason='api')
    return TwitchAnswer(twitch=twitch_json(system))
