"""Memory in chat: "byte remember <fact>" (or "byte remember @viewer <fact>") for the broadcaster and moderators;
"byte what do you know about me" and "byte forget me" for every viewer. Forgetting asks for a confirmation first
("byte forget me confirm" within a minute), then erases the viewer's entries in that channel and keeps nothing new
about them there. Answers go through Outbound, so the safety gate judges them like every other message."""

from __future__ import annotations

import re

from runtime.chat import ChatLine
from runtime.clock import Clock
from runtime.commands import ChatCommand, Who
from runtime.logins import InvalidLogin, normalize_login
from runtime.memory.entries import MemoryError
from runtime.memory.store import Memory
from runtime.outbound import Outbound, Outgoing
from runtime.storage import StorageError

CONFIRM_SECONDS = 60.0
ANSWER_LIMIT = 440
_ABOUT_ME = re.compile(r'^(do you know|do you remember|have you got|do you keep) (about|on) me\s*[?!.]*$', re.I)
_FORGET = re.compile(r'^me(?P<confirm>\s+confirm)?\s*[!.]*$', re.I)
_PT_ABOUT_ME = re.compile(r'^(voc[eê] )?sabe sobre mim\s*[?!.]*$', re.I)


def about_me_words(words: str) -> str | None:
    return '' if _ABOUT_ME.match(words.strip()) else None


def forget_words(words: str) -> str | None:
    match = _FORGET.match(words.strip())
    return None if match is None else ('confirm' if match.group('confirm') else '')


def remember_words(words: str) -> str | None:
    return words.strip() or None


class MemoryCommands:
    def __init__(self, memory: Memory, outbound: Outbound, clock: Clock, trigger_word: str) -> None:
        self.memory = memory
        self.word = trigger_word
        self.outbound = outbound
        self.clock = clock
        self._asked_to_forget: dict[tuple[str, str], float] = {}  # (channel, viewer) -> when they asked

    def commands(self) -> list[ChatCommand]:
        return [
            ChatCommand('remember', self.remember, aliases=('lembre', 'lembrar'), who=Who.MODERATORS,
                        cooldown=False, parse=remember_words, refuse=self.refuse, route='memory'),
            ChatCommand('what', self.about_me, parse=about_me_words, route='memory'),
            ChatCommand('o', self.about_me, parse=lambda words: '' if _PT_ABOUT_ME.match(
                re.sub(r'^que\s+', '', words.strip(), flags=re.I)) else None, route='memory'),
            ChatCommand('forget', self.forget, aliases=('esqueça', 'esqueca'), cooldown=False, parse=forget_words,
                        route='memory'),
        ]

    async def refuse(self, line: ChatLine) -> Outgoing:
        return self._answer(line, f'@{line.author}, only the streamer and moderators can add to my memory.')

    async def remember(self, line: ChatLine, words: str) -> Outgoing:
        viewer, fact = '', words
        if words.startswith('@'):
            name, _, fact = words.partition(' ')
            try:
                viewer = normalize_login(name.lstrip('@'))
            except InvalidLogin:
                return self._answer(line, f'@{line.author}, that is not a Twitch name.')
        try:
            await self.memory.add(line.channel, fact, kind='viewer' if viewer else 'stream', source='chat',
                                  created_by=f'chat:{line.author}', viewer=viewer)
        except (MemoryError, StorageError) as error:
            return self._answer(line, f'@{line.author}, not remembered: {error}')
        about = f' about {viewer}' if viewer else ''
        return self._answer(line, f'@{line.author}, got it: I will remember that{about}.')

    async def about_me(self, line: ChatLine, _words: str) -> Outgoing:
        try:
            entries = await self.memory.about_viewer(line.channel, line.author, line.author_id)
        except (MemoryError, StorageError):
            return self._answer(line, f'@{line.author}, my memory is unavailable right now; ask again soon.')
        if not entries:
            return self._answer(line, f'@{line.author}, I keep nothing about you in this channel.')
        shown = [entry.content for entry in entries if not entry.is_private]
        private = len(entries) - len(shown)
        text = f'@{line.author}, about you here I remember: ' + '; '.join(shown) if shown else \
            f'@{line.author}, I keep {len(entries)} note(s) about you here'
        ending = (f' (+{private} private note(s) of the streamer)' if private and shown else '') + \
            f'. Say "{self.word} forget me" to erase it.'
        if len(text) + len(ending) > ANSWER_LIMIT:
            text = text[:ANSWER_LIMIT - len(ending) - 1] + '…'
        return self._answer(line, text + ending)

    async def forget(self, line: ChatLine, words: str) -> Outgoing:
        key, now = (line.channel, line.author.lower()), self.clock.monotonic()
        self._asked_to_forget = {asked: at for asked, at in self._asked_to_forget.items()
                                 if now - at <= CONFIRM_SECONDS}
        if words != 'confirm':
            self._asked_to_forget[key] = now
            return self._answer(line, f'@{line.author}, this erases everything I remember about you in this channel '
                                      'and I will keep nothing new about you here. To go ahead, say '
                                      f'"{self.word} forget me confirm" within {CONFIRM_SECONDS:.0f} seconds.')
        if self._asked_to_forget.pop(key, None) is None:
            return self._answer(line, f'@{line.author}, say "{self.word} forget me" first.')
        try:
            erased = await self.memory.forget_viewer(line.channel, line.author, line.author_id,
                                                     actor=f'chat:{line.author}')
        except (MemoryError, StorageError):
            return self._answer(line, f'@{line.author}, I could not erase it right now; nothing changed. Try again '
                                      'in a moment.')
        return self._answer(line, f'@{line.author}, done: I erased {erased} entr{"y" if erased == 1 else "ies"} '
                                  'about you and will keep nothing new about you here.')

    def _answer(self, line: ChatLine, text: str) -> Outgoing:
        return self.outbound.request(line.channel, text, origin='memory command', is_automatic=False,
                                     reply_to=line.reply_target, viewer=line.author)
