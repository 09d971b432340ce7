"""Clips from chat: `!clip [title]`, or the trigger word and `clip [title]` ("byte clip what a save"; also
"clipe", "clipa"), for the broadcaster and the channel's moderators. Byte answers in chat, and posts the link
once Twitch has made the clip."""

from __future__ import annotations

import re
from collections.abc import Callable

from persistence.models.clips import ClipJob
from runtime.chat import ChatLine
from runtime.clips.jobs import ClipJobs, ClipRefused
from runtime.outbound import Outbound, Outgoing
from runtime.storage import StorageError

BANG = re.compile(r'^\s*!clip(?:\s+(?P<title>.*))?$', re.IGNORECASE | re.DOTALL)
WORDS = {'clip', 'clipe', 'clipa'}
CHAT_REFUSALS = {'busy': 'one is being made already', 'cooldown': 'one was made just now',
                 'unavailable': 'clips are not available right now', 'not_joined': 'not possible here'}
TWITCH_LINKS = frozenset({'twitch.tv'})  # the clip link Twitch made may go to chat, whatever the channel allows


def requested_clip(text: str, prompt: str | None) -> tuple[str, bool] | None:
    """(title, is_bang_command) when a chat line asks for a clip, else None. `prompt` is what follows the
    trigger word, when the line has it."""
    if match := BANG.match(text):
        return ' '.join((match.group('title') or '').split()), True
    words = (prompt or '').split(maxsplit=1)
    if words and words[0].lower().rstrip('!.,:') in WORDS:
        return (' '.join(words[1].split()) if len(words) > 1 else ''), False
    return None


class ClipCommand:
    def __init__(self, jobs: ClipJobs, outbound: Outbound, is_owner: Callable[[ChatLine], bool]) -> None:
        self.jobs = jobs
        self.outbound = outbound
        self.is_owner = is_owner
        jobs.finished.subscribe(self._announce)

    def title_in(self, line: ChatLine, prompt: str | None) -> str | None:
        """The clip title when the line asks for a clip (possibly ''), else None. `!clip` from someone who may
        not clip is left alone (another bot may answer it); "byte clip" gets an answer either way."""
        asked = requested_clip(line.text, prompt)
        if asked is None or (asked[1] and not self.may_clip(line)):
            return None
        return asked[0]

    def may_clip(self, line: ChatLine) -> bool:
        return line.is_moderator or self.is_owner(line)

    async def handle(self, line: ChatLine, title: str) -> Outgoing:
        """Answer in chat: what was done, or a short refusal (the details are on the dashboard)."""
        is_taken = False
        if not self.may_clip(line):
            answer = f'@{line.author}, only the broadcaster and moderators can make clips.'
        else:
            try:
                job = await self.jobs.request(line.channel, 'chat', line.author, title=title)
                answer = f'@{line.author}, clipping (job {job.id}); the link follows when Twitch has it.'
                is_taken = True
            except ClipRefused as refusal:
                answer = f'@{line.author}, no clip: {CHAT_REFUSALS.get(refusal.code, "not possible right now")}' + (
                    f' (next in {refusal.retry_after:.0f} s).' if refusal.retry_after else '.')
            except StorageError:
                answer = f'@{line.author}, no clip: not possible right now.'
        # a refusal may be dropped when chat is busy; an accepted request is always confirmed
        return self.outbound.request(line.channel, answer, origin='clip command', is_automatic=not is_taken,
                                     reply_to=line.reply_target, viewer=line.author)

    def _announce(self, job: ClipJob) -> None:
        if job.source != 'chat':
            return
        if job.status == 'ready' and job.clip_url:
            text = f'@{job.requested_by}, clip ready: {job.clip_url}'
        else:  # the reason (which may name settings) is for the dashboard, not for chat
            text = f'@{job.requested_by}, the clip did not work out (job {job.id}); the streamer can see why.'
        self.outbound.request(job.channel, text[:490], origin='clip command', is_automatic=False,
                              viewer=job.requested_by, link_domains=TWITCH_LINKS)
