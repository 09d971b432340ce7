"""Create Clip (POST /helix/clips, 202 with id and edit_url; the channel must be live and the token must carry
clips:edit) and Get Clips (GET /helix/clips by id, or by broadcaster_id with started_at), with Helix's
Ratelimit-* headers, and the scenarios of `ClipScript`: slow clips, clips that never appear, scripted failures
(429 with its reset, 5xx, 401) and a creation whose answer is held back."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from aiohttp import web

from tests.fakes.twitch.helix import authorized, error
from tests.fakes.twitch.state import TwitchState

LIMIT = 800


def add_clip_routes(app: web.Application, state: TwitchState) -> None:
    clips, script = state.clips, state.clip_script

    def limited(response: web.Response, remaining: int = LIMIT - 1, reset_in: int = 60) -> web.Response:
        response.headers.update({'Ratelimit-Limit': str(LIMIT), 'Ratelimit-Remaining': str(remaining),
                                 'Ratelimit-Reset': str(int(time.time()) + reset_in)})
        return response

    def is_visible(clip_id: str) -> bool:
        script.looks[clip_id] = script.looks.get(clip_id, 0) + 1
        return not script.never_ready and script.looks[clip_id] > script.polls_before_ready

    async def create(request: web.Request) -> web.Response:
        script.create_calls += 1
        token = authorized(state, request)
        if token is None:
            return limited(error(401, 'Invalid OAuth token'))
        if script.create_failures:
            status, message = script.create_failures.pop(0)
            if status == 429:
                return limited(error(429, message or 'Too Many Requests'), 0, script.rate_limit_reset_in)
            return limited(error(status, message))
        if 'clips:edit' not in token.scopes:
            return limited(error(401, 'Missing scope: clips:edit'))
        broadcaster = state.users.get(request.query.get('broadcaster_id', ''))
        if broadcaster is None or broadcaster.login not in state.live:
            return limited(error(404, 'The broadcaster in the broadcaster_id query parameter must be broadcasting '
                                      'live.'))
        creator = state.users.get(token.user_id or '')
        clip_id = f'FakeClip{len(clips) + 1}'
        clips[clip_id] = {
            'id': clip_id, 'url': f'https://clips.twitch.tv/{clip_id}', 'embed_url': f'https://clips.twitch.tv/'
            f'embed?clip={clip_id}', 'broadcaster_id': broadcaster.id, 'broadcaster_name': broadcaster.display_name,
            'creator_id': token.user_id, 'creator_name': creator.display_name if creator else 'someone',
            'video_id': '', 'game_id': '0', 'language': 'en', 'title': request.query.get('title') or 'clip',
            'view_count': 0, 'created_at': datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ'),
            'thumbnail_url': f'https://clips-media-assets2.twitch.tv/{clip_id}-preview-480x272.jpg',
            'duration': float(request.query.get('duration') or 30), 'vod_offset': None, 'is_featured': False}
        if script.hold_create is not None:
            await script.hold_create.wait()
        if script.drop_creates:
            script.drop_creates -= 1
            assert request.transport is not None
            request.transport.close()  # the clip exists; its answer is lost
            return web.Response()
        return limited(web.json_response(
            {'data': [{'id': clip_id, 'edit_url': f'https://clips.twitch.tv/{clip_id}/edit'}]}, status=202))

    async def find(request: web.Request) -> web.Response:
        if authorized(state, request) is None:
            return limited(error(401, 'Invalid OAuth token'))
        if script.find_failures:
            script.find_failures -= 1
            return limited(error(500, 'Internal Server Error'))
        ids = request.query.getall('id', [])
        if ids:
            found = [clips[clip_id] for clip_id in ids if clip_id in clips and is_visible(clip_id)]
        else:
            broadcaster_id, since = request.query.get('broadcaster_id', ''), request.query.get('started_at', '')
            found = [clip for clip in clips.values() if clip['broadcaster_id'] == broadcaster_id and
                     (not since or _instant(clip['created_at']) >= _instant(since)) and is_visible(clip['id'])]
        return limited(web.json_response({'data': found, 'pagination': {}}))

    app.router.add_post('/helix/clips', create)
    app.router.add_get('/helix/clips', find)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace('Z', '+00:00'))
