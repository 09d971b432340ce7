"""The chat filters' blocked words handed to Twitch's own blocked terms (which AutoMod holds before anyone sees
them), rather than kept twice: plain words and wild*cards go (Twitch reads `*` the same way); a /regular expression/
stays Byte's, since Twitch has none. A term Twitch already has is left alone."""

from __future__ import annotations

from dataclasses import dataclass

from runtime.chat_filters.rules import is_regex
from runtime.transports.base import ChatTransport, TransportError

MIN_TERM, MAX_TERM = 2, 500  # Twitch's limits on a blocked term


@dataclass(frozen=True)
class TermsSent:
    added: tuple[str, ...]
    already: tuple[str, ...]  # Twitch had them
    kept: tuple[str, ...]  # Byte keeps them (regular expressions, or a length Twitch refuses)
    problem: str = ''  # why the rest was not sent, when Twitch stopped answering part way


def is_for_twitch(term: str) -> bool:
    return not is_regex(term) and MIN_TERM <= len(term.strip()) <= MAX_TERM


async def send_terms(transport: ChatTransport, login: str, terms: tuple[str, ...]) -> TermsSent:
    """TransportError when Twitch's list cannot be read (nothing is sent then)."""
    on_twitch = {term.casefold() for term in await transport.blocked_terms(login)}
    added: list[str] = []
    already = tuple(term for term in terms if is_for_twitch(term) and term.strip().casefold() in on_twitch)
    kept = tuple(term for term in terms if not is_for_twitch(term))
    for term in (term for term in terms if is_for_twitch(term) and term.strip().casefold() not in on_twitch):
        try:
            await transport.add_blocked_term(login, term.strip())
        except TransportError as error:
            return TermsSent(tuple(added), already, kept, f'Twitch refused {term!r}: {error}')
        added.append(term.strip())
    return TermsSent(tuple(added), already, kept)
