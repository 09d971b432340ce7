"""Channel events on the fake Twitch: who may subscribe to which EventSub type, the event payloads as Twitch
documents them (channel.chat.notification notices, channel.follow v2, channel.hype_train.begin/end v2,
channel.channel_points_custom_reward_redemption.add, automod.message.hold v2), and the Helix calls Byte makes about
them: POST /chat/shoutouts, POST /channel_points/custom_rewards, PATCH /channel_points/custom_rewards/redemptions
(only the app that made the reward may), POST /moderation/automod/message."""

from __future__ import annotations

import uuid

from aiohttp import web

from tests.fakes.twitch.helix import authorized, error
from tests.fakes.twitch.state import FakeToken, FakeUser, TwitchState

NOTICE_FIELDS = ('sub', 'resub', 'sub_gift', 'community_sub_gift', 'gift_paid_upgrade', 'prime_paid_upgrade',
                 'pay_it_forward', 'raid', 'unraid', 'announcement', 'bits_badge_tier', 'charity_donation',
                 'shared_chat_sub', 'shared_chat_resub', 'shared_chat_sub_gift', 'shared_chat_community_sub_gift',
                 'shared_chat_gift_paid_upgrade', 'shared_chat_prime_paid_upgrade', 'shared_chat_pay_it_forward',
                 'shared_chat_raid', 'shared_chat_announcement')
SHOUTOUT_SECONDS, SAME_CHANNEL_SHOUTOUT_SECONDS = 120, 3600


def subscription_refusal(state: TwitchState, token: FakeToken, kind: str, condition: dict) -> web.Response | None:
    """Twitch's answer when this token may not subscribe to this type with this condition; None when it may."""
    user, broadcaster = token.user_id or '', str(condition.get('broadcaster_user_id', ''))
    if kind in ('channel.chat.message', 'channel.chat.notification') and condition.get('user_id') != user:
        return error(403, 'the user in the condition must match the token')
    if kind in ('channel.follow', 'automod.message.hold'):
        needed = 'moderator:read:followers' if kind == 'channel.follow' else 'moderator:manage:automod'
        if needed not in token.scopes:
            return error(403, 'subscription missing proper authorization')
        if condition.get('moderator_user_id') != user or not state.is_moderator(broadcaster, user):
            return error(403, 'the moderator_user_id must be a moderator of the broadcaster')
    needs = {'channel.hype_train.begin': {'channel:read:hype_train'}, 'channel.hype_train.end':
             {'channel:read:hype_train'}, 'channel.channel_points_custom_reward_redemption.add':
             {'channel:read:redemptions', 'channel:manage:redemptions'}}.get(kind)
    if needs is not None and (broadcaster != user or needs.isdisjoint(token.scopes)):
        return error(403, 'subscription missing proper authorization')
    return None


def _broadcaster(user: FakeUser) -> dict:
    return {'broadcaster_user_id': user.id, 'broadcaster_user_login': user.login,
            'broadcaster_user_name': user.display_name}


def _person(user: FakeUser, prefix: str) -> dict:
    return {f'{prefix}_id': user.id, f'{prefix}_login': user.login, f'{prefix}_name': user.display_name}


def chat_notice(channel: FakeUser, chatter: FakeUser | None, notice_type: str, part: dict, text: str = '') -> dict:
    """A channel.chat.notification event (`chatter` None: an anonymous gifter)."""
    who = _person(chatter, 'chatter_user') if chatter else {'chatter_user_id': '274598607', 'chatter_user_login':
                                                             'ananonymousgifter', 'chatter_user_name':
                                                             'AnAnonymousGifter'}
    event = {**_broadcaster(channel), **who, 'chatter_is_anonymous': chatter is None, 'color': '', 'badges': [],
             'system_message': f'{notice_type} notice', 'message_id': str(uuid.uuid4()),
             'message': {'text': text, 'fragments': [{'type': 'text', 'text': text, 'cheermote': None,
                                                      'emote': None, 'mention': None}] if text else []},
             'notice_type': notice_type, 'source_broadcaster_user_id': None, 'source_broadcaster_user_login': None,
             'source_broadcaster_user_name': None, 'source_message_id': None, 'source_badges': None}
    event.update({name: None for name in NOTICE_FIELDS})
    event[notice_type] = part
    return event


def sub_part(tier: str = '1000', prime: bool = False) -> dict:
    return {'sub_tier': tier, 'is_prime': prime, 'duration_months': 1}


def resub_part(months: int, tier: str = '1000') -> dict:
    return {'cumulative_months': months, 'duration_months': 1, 'streak_months': None, 'sub_tier': tier,
            'is_prime': False, 'is_gift': False, 'gifter_is_anonymous': None, 'gifter_user_id': None,
            'gifter_user_name': None, 'gifter_user_login': None}


def community_gift_part(gift_id: str, total: int, tier: str = '1000') -> dict:
    return {'id': gift_id, 'total': total, 'sub_tier': tier, 'cumulative_total': None}


def gift_part(recipient: FakeUser, community_gift_id: str | None, tier: str = '1000') -> dict:
    return {'duration_months': 1, 'cumulative_total': None, 'recipient_user_id': recipient.id,
            'recipient_user_name': recipient.display_name, 'recipient_user_login': recipient.login, 'sub_tier': tier,
            'community_gift_id': community_gift_id}


def raid_part(raider: FakeUser, viewers: int) -> dict:
    return {**_person(raider, 'user'), 'viewer_count': viewers, 'profile_image_url': ''}


def follow_event(channel: FakeUser, follower: FakeUser) -> dict:
    return {**_person(follower, 'user'), **_broadcaster(channel), 'followed_at': '2026-12-08T10:00:00Z'}


def hype_train_event(channel: FakeUser, level: int, total: int, ended: bool = False) -> dict:
    event = {'id': 'hype-1', **_broadcaster(channel), 'total': total, 'level': level, 'top_contributions': [],
             'shared_train_participants': None, 'started_at': '2026-12-08T10:00:00Z', 'type': 'regular',
             'is_shared_train': False}
    if ended:
        return {**event, 'ended_at': '2026-12-08T10:05:00Z', 'cooldown_ends_at': '2026-12-08T11:05:00Z'}
    return {**event, 'progress': total, 'goal': total * 2, 'all_time_high_level': level,
            'all_time_high_total': total, 'expires_at': '2026-12-08T10:05:00Z'}


def redemption_event(channel: FakeUser, viewer: FakeUser, reward: dict, text: str) -> dict:
    return {'id': str(uuid.uuid4()), **_broadcaster(channel), **_person(viewer, 'user'), 'user_input': text,
            'status': 'unfulfilled', 'reward': reward, 'redeemed_at': '2026-12-08T10:00:00Z'}


def automod_hold_event(channel: FakeUser, viewer: FakeUser, message_id: str, text: str,
                       blocked: list[str] | None = None) -> dict:
    """An automod.message.hold v2 event: held by AutoMod's category rules, or for the channel's blocked terms."""
    terms = [{'term_id': f'term-{term}', 'boundary': {'start_pos': text.index(term),
                                                      'end_pos': text.index(term) + len(term) - 1},
              'owner_broadcaster_user_id': channel.id, 'owner_broadcaster_user_login': channel.login,
              'owner_broadcaster_user_name': channel.display_name} for term in blocked or ()]
    return {**_broadcaster(channel), **_person(viewer, 'user'), 'message_id': message_id,
            'message': {'text': text, 'fragments': [{'type': 'text', 'text': text, 'cheermote': None,
                                                     'emote': None}]},
            'reason': 'blocked_term' if blocked else 'automod', 'held_at': '2026-12-08T10:00:00Z',
            'automod': None if blocked else {'category': 'swearing', 'level': 4, 'boundaries': []},
            'blocked_term': {'terms_found': terms} if blocked else None}


def add_reward(state: TwitchState, channel: FakeUser, title: str, cost: int, prompt: str, client_id: str) -> dict:
    """A custom reward as Get Custom Reward shows it (`client_id`: the app that made it, which alone may settle
    its redemptions; the fake keeps it beside Twitch's fields)."""
    reward = {'broadcaster_id': channel.id, 'broadcaster_login': channel.login,
              'broadcaster_name': channel.display_name, 'id': f'reward-{len(state.rewards) + 1}', 'title': title,
              'prompt': prompt, 'cost': cost, 'image': None,
              'default_image': {'url_1x': '', 'url_2x': '', 'url_4x': ''}, 'background_color': '#9147FF',
              'is_enabled': True, 'is_user_input_required': bool(prompt), 'is_paused': False, 'is_in_stock': True,
              'max_per_stream_setting': {'is_enabled': False, 'max_per_stream': 0},
              'max_per_user_per_stream_setting': {'is_enabled': False, 'max_per_user_per_stream': 0},
              'global_cooldown_setting': {'is_enabled': False, 'global_cooldown_seconds': 0},
              'should_redemptions_skip_request_queue': False, 'redemptions_redeemed_current_stream': None,
              'cooldown_expires_at': None, 'client_id': client_id}
    state.rewards[reward['id']] = reward
    return {key: value for key, value in reward.items() if key != 'client_id'}


def scoped(state: TwitchState, request: web.Request, scope: str) -> FakeToken | web.Response:
    """The request's valid token when it carries the scope; else Twitch's 401."""
    token = authorized(state, request)
    if token is None:
        return error(401, 'Invalid OAuth token')
    return token if scope in token.scopes else error(401, f'Missing scope: {scope}')


def redemptions_token(state: TwitchState, request: web.Request) -> FakeToken | web.Response:
    """The broadcaster's own token with channel:manage:redemptions (rewards and redemptions take no other)."""
    token = scoped(state, request, 'channel:manage:redemptions')
    if isinstance(token, web.Response) or request.query.get('broadcaster_id', '') == token.user_id:
        return token
    return error(403, 'The broadcaster_id must match the user in the token')


def add_event_routes(app: web.Application, state: TwitchState) -> None:
    async def shoutout(request: web.Request) -> web.Response:
        token = scoped(state, request, 'moderator:manage:shoutouts')
        if isinstance(token, web.Response):
            return token
        source, target = request.query.get('from_broadcaster_id', ''), request.query.get('to_broadcaster_id', '')
        moderator = request.query.get('moderator_id', '')
        if moderator != token.user_id or not state.is_moderator(source, moderator):
            return error(403, 'The user in moderator_id is not one of the broadcaster\'s moderators')
        if source == target:
            return error(400, 'The broadcaster may not give themselves a Shoutout.')
        if state.users[source].login not in state.live:
            return error(400, 'The broadcaster is not streaming live or does not have one or more viewers.')
        now = state.now()
        if any(at > now - SHOUTOUT_SECONDS or (to == target and at > now - SAME_CHANNEL_SHOUTOUT_SECONDS)
               for at, channel, to in state.shoutouts if channel == source):
            return web.json_response({'error': 'Too Many Requests', 'status': 429,
                                      'message': 'The broadcaster may send a Shoutout once every 2 minutes.'},
                                     status=429)
        state.shoutouts.append((now, source, target))
        return web.Response(status=204)

    async def settle(request: web.Request) -> web.Response:
        token = redemptions_token(state, request)
        if isinstance(token, web.Response):
            return token
        body = await request.json()
        status = body.get('status')
        if status not in ('FULFILLED', 'CANCELED'):
            return error(400, 'status must be FULFILLED or CANCELED')
        reward = state.rewards.get(request.query.get('reward_id', ''))
        if reward is None:
            return error(404, 'The custom reward was not found')
        if reward['client_id'] != request.headers.get('Client-Id'):  # Twitch: only the app that made it
            return error(403, 'The ID in the Client-Id header must match the Client ID used to create the custom '
                              'reward.')
        redemption = state.redemptions.get(request.query.get('id', ''))
        if redemption is None or redemption['reward']['id'] != request.query.get('reward_id'):
            return error(404, 'The redemption was not found')
        if redemption['status'] != 'unfulfilled':
            return error(400, 'The redemption is not UNFULFILLED')
        redemption['status'] = status.lower()
        return web.json_response({'data': [{**redemption, 'status': status}]})

    async def resolve_held(request: web.Request) -> web.Response:
        token = scoped(state, request, 'moderator:manage:automod')
        if isinstance(token, web.Response):
            return token
        body = await request.json()
        if str(body.get('user_id')) != token.user_id or body.get('action') not in ('ALLOW', 'DENY'):
            return error(400, 'user_id must match the token, action must be ALLOW or DENY')
        if state.held.get(str(body.get('msg_id'))) != 'held':
            return error(400, 'The message is not held or was already allowed or denied')
        state.held[str(body['msg_id'])] = body['action'].lower()
        return web.Response(status=204)

    async def create_reward(request: web.Request) -> web.Response:
        token = redemptions_token(state, request)
        if isinstance(token, web.Response):
            return token
        broadcaster = str(token.user_id)
        body = await request.json()
        title = str(body.get('title', ''))
        if any(reward['title'].casefold() == title.casefold() for reward in state.rewards.values()
               if reward['broadcaster_id'] == broadcaster):
            return error(400, 'CREATE_CUSTOM_REWARD_DUPLICATE_REWARD')
        reward = add_reward(state, state.users[broadcaster], title, int(body.get('cost', 0)),
                            str(body.get('prompt') or ''), state.client_id)
        return web.json_response({'data': [reward]})

    app.router.add_post('/helix/channel_points/custom_rewards', create_reward)
    app.router.add_post('/helix/moderation/automod/message', resolve_held)
    app.router.add_post('/helix/chat/shoutouts', shoutout)
    app.router.add_patch('/helix/channel_points/custom_rewards/redemptions', settle)
