"""Clips from chat: `!clip [title]`, or the trigger word and `clip [title]` ("byte clip what a save"; also
"clipe", "clipa"), for the broadcaster and the channel's moderators. Byte answers in chat, and posts the link
once Twitch has made the clip."""

from __future__ import annotations

from persistence.models.clips import ClipJob
from runtime.chat import ChatLine
from runtime.clips.jobs import ClipJobs, ClipRefused
from runtime.commands import ChatCommand, CommandRegistry, Who
from runtime.outbound import Outbound, Outgoing
from runtime.storage import StorageError

ALIASES = ('clipe', 'clipa')
CHAT_REFUSALS = {'busy': 'one is being made already', 'cooldown': 'one was made just now',
                 'unavailable': 'clips are not available right now', 'not_joined': 'not possible here'}
TWITCH_LINKS = frozenset({'twitch.tv'})  # the clip link Twitch made may go to chat, whatever the channel allows


def clip_title(words: str) -> str:
    return ' '.join(words.split())


async def _nothing(_line: ChatLine, _title: str) -> None:
    return None


CLIP_REQUESTS = CommandRegistry([ChatCommand('clip', _nothing, aliases=ALIASES, bang=True, parse=clip_title)])


def requested_clip(text: str, prompt: str | None) -> tuple[str, bool] | None:
    """(title, is_bang_command) when a chat line asks for a clip, else None. `prompt` is what follows the
    trigger word, when the line has it. (The same matching as the registry's: a registry of the clip command.)"""
    found = CLIP_REQUESTS.find(text, prompt)
    return None if found is None else (found.arguments, found.is_bang)


class ClipCommand:
    def __init__(self, jobs: ClipJobs, outbound: Outbound) -> None:
        self.jobs = jobs
        self.outbound = outbound
        jobs.finished.subscribe(self._announce)

    def command(self) -> ChatCommand:
        """`clip [title]` (also `!clip`), for the broadcaster and the channel's moderators."""
        return ChatCommand('clip', self.handle, aliases=ALIASES, who=Who.MODERATORS, bang=True, parse=clip_title,
                           refuse=self.refuse, is_question=False, route='clip')

    async def refuse(self, line: ChatLine) -> Outgoing:
        return self._answer(line, f'@{line.author}, only the broadcaster and moderators can make clips.', False)

    async def handle(self, line: ChatLine, title: str) -> Outgoing:
        """Answer in chat: what was done, or a short refusal (the details are on the dashboard)."""
        try:
            job = await self.jobs.request(line.channel, 'chat', line.author, title=title)
        except ClipRefused as refusal:
            return self._answer(line, f'@{line.author}, no clip: '
                                      f'{CHAT_REFUSALS.get(refusal.code, "not possible right now")}' + (
                                          f' (next in {refusal.retry_after:.0f} s).' if refusal.retry_after else '.'),
                                False)
        except StorageError:
            return self._answer(line, f'@{line.author}, no clip: not possible right now.', False)
        return self._answer(line, f'@{line.author}, clipping (job {job.id}); the link follows when Twitch has it.',
                            True)

    def _answer(self, line: ChatLine, answer: str, is_taken: bool) -> Outgoing:
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
