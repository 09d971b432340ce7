"""A channel's directives (the Channel tab's style and stream facts) over HTTP, through the same owner methods as
the dashboard."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from app.api.deps import JoinedChannel, SystemDep, admin_router, joined_channel
from app.api.errors import ApiError
from runtime.channels import MAX_STYLE, ChannelRuntime

router = admin_router('channels')


class Body(BaseModel):
    model_config = ConfigDict(extra='forbid')


class Answer(BaseModel):
    ok: Literal[True] = True


class DirectivesBody(Body):
    channel_id: str = Field(min_length=1, max_length=40)
    style_profile: str | None = Field(default=None, max_length=MAX_STYLE)  # omitted: keep the stored value
    allow_links: StrictBool | None = None
    game: str | None = Field(default=None, max_length=200)
    topic: str | None = Field(default=None, max_length=200)
    vibe: str | None = Field(default=None, max_length=100)


class DirectivesJson(BaseModel):
    channel_id: str
    style_profile: str
    allow_links: bool
    game: str
    topic: str
    vibe: str


class DirectivesAnswer(Answer):
    mode: str
    directives: DirectivesJson


def directives_json(runtime: ChannelRuntime) -> DirectivesJson:
    return DirectivesJson(channel_id=runtime.login, style_profile=runtime.style_profile,
                          allow_links=runtime.allow_links, game=runtime.current_game,
                          topic=runtime.observability.get('topic', ''), vibe=runtime.vibe)


@router.get('/channel-directives', response_model=DirectivesAnswer)
async def get_directives(system: SystemDep, runtime: JoinedChannel) -> DirectivesAnswer:
    return DirectivesAnswer(mode=system.transport.status.name, directives=directives_json(runtime))


@router.put('/channel-directives', response_model=DirectivesAnswer)
async def put_directives(system: SystemDep, body: DirectivesBody) -> DirectivesAnswer:
    runtime = joined_channel(system, body.channel_id)
    channels, login = system.channels, runtime.login
    try:
        if body.style_profile is not None or body.allow_links is not None:
            style = runtime.style_profile if body.style_profile is None else body.style_profile
            links = runtime.allow_links if body.allow_links is None else body.allow_links
            await channels.set_style(login, style, links, reason='api')
        if body.game is not None or body.topic is not None or body.vibe is not None:
            current = directives_json(runtime)
            await channels.set_stream_facts(login, current.game if body.game is None else body.game,
                                            current.topic if body.topic is None else body.topic,
                                            current.vibe if body.vibe is None else body.vibe, reason='api')
    except ValueError as error:
        raise ApiError(400, 'invalid_request', str(error)) from None
    except KeyError:  # parted while the request ran
        raise ApiError(404, 'channel_not_joined', f'#{login} is not joined') from None
    return DirectivesAnswer(mode=system.transport.status.name, directives=directives_json(runtime))
