"""Finding links in an outgoing text, however they are written.

A link is anything Twitch (or a viewer copying it) could open: a URL with a scheme, `www.`, an IPv4 address, or a
host whose ending is a real public suffix (the ICANN part of the public suffix list bundled with `publicsuffixlist`,
read offline). Dots may
be written as look-alikes (fullwidth, ideographic, bullets), as `[.]`, `(dot)` or `dot`, or with spaces before them.
File names that only look like hosts (`settings.py`, `README.md`) are not links; `Node.js` never was (`js` is no
suffix). A host spelled with look-alike letters (a Cyrillic `a` in `paypal.com`) is reported as such and is never
allowed, not even where links are.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import disarm
from publicsuffixlist import PublicSuffixList

from runtime.safety.matching import BULLET, Forms

FILE_LIKE_SUFFIXES = frozenset({'py', 'md', 'rs', 'sh'})  # country codes that are far more often file extensions
_SCHEME = re.compile(r'\b[a-z][a-z0-9+.-]{1,15}+://\S*|\bwww\.\S+', re.IGNORECASE)
_OBFUSCATED_DOT = re.compile(
    r'(?<=[^\W_])\s*(?:[\[({<]\s*(?:\.|dot|ponto|punto)\s*[\])}>]|\s(?:dot|ponto|punto)\s)\s*(?=[^\W_])')
_OBFUSCATION_HINTS = ('dot', 'ponto', 'punto', '[.', '(.', '{.', '<.', '[ .', '( .', '{ .', '< .')
_SPACED_DOT = re.compile(r'(?<=[^\W_])\s+\.\s*(?=[^\W\d_])')
_SPACED_CHARACTERS = re.compile(r'(?<![^\W_])(?:[^\W_][\s.]++){3,}+[^\W_](?![^\W_])')
_HOST = re.compile(r'(?<![^\W_])(?<!-)[^\W_](?:[^\W_]|-)*+(?:\.(?:[^\W_]|-)++)++')
_IPV4 = re.compile(r'(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]*\d)')
_WHITESPACE = re.compile(r'\s+')
_NON_ASCII_HOST = re.compile(r'[^\x00-\x7f]\.[^\W_]|[^\W_]\.[^\x00-\x7f]')  # a dot inside a word


@dataclass(frozen=True)
class Link:
    host: str  # as read from the folded text ('' for a scheme URL without a host)
    kind: str  # 'url', 'host', 'ip'
    is_look_alike: bool = False


@lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    # the bundled snapshot, never a download; an ending the list does not know is no suffix ('node.js')
    return PublicSuffixList(only_icann=True, accept_unknown=False)


@lru_cache(maxsize=4096)
def registered_domain(host: str) -> str:
    """'clips.twitch.tv' -> 'twitch.tv'; '' when the host has no public suffix."""
    return _suffixes().privatesuffix(host) or ''


def _dotted(folded: str) -> str:
    """Obfuscated and spaced dots as plain ones, bullets as dots, single characters spaced out joined."""
    if any(hint in folded for hint in _OBFUSCATION_HINTS):
        folded = _OBFUSCATED_DOT.sub('.', folded)
    if ' .' in folded:
        folded = _SPACED_DOT.sub('.', folded)
    folded = folded.replace(BULLET, '.')
    if '.' in folded and ' ' in folded:
        folded = _SPACED_CHARACTERS.sub(lambda match: _WHITESPACE.sub('', match.group(0)), folded)
    return folded


def _host_of_url(url: str) -> str:
    rest = url.split('://', 1)[1] if '://' in url else url
    return rest.split('/', 1)[0].split('?', 1)[0].split('#', 1)[0].rsplit('@', 1)[-1].split(':', 1)[0].strip('.')


def _is_host(host: str) -> bool:
    labels = host.split('.')
    if len(labels) < 2 or not all(0 < len(label) <= 63 for label in labels) or len(labels[-1]) < 2:
        return False
    if len(labels) == 2 and labels[1] in FILE_LIKE_SUFFIXES:
        return False
    return bool(registered_domain(host))


def _hosts(dotted: str) -> list[Link]:
    found: list[Link] = []
    if '://' in dotted or 'www.' in dotted:
        found += [Link(host=_host_of_url(match.group(0)), kind='url') for match in _SCHEME.finditer(dotted)]
        dotted = _SCHEME.sub(' ', dotted)
    if '.' not in dotted:
        return found
    for match in _HOST.finditer(dotted):
        host = match.group(0).strip('.-')
        if _IPV4.fullmatch(host):
            if _is_ip(host):
                found.append(Link(host=host, kind='ip'))
        elif _is_host(host):
            found.append(Link(host=host, kind='host'))
    return found


def _is_ip(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def find_links(forms: Forms) -> list[Link]:
    """Every link in the text. A host that only appears once look-alike letters are read as Latin ones is
    marked as a look-alike."""
    links = _hosts(_dotted(forms.folded))
    if forms.clean.isascii() or not (links or _NON_ASCII_HOST.search(forms.clean)):
        return links
    plain = _dotted(unicodedata.normalize('NFKC', forms.clean).casefold())
    marked = [Link(host=link.host, kind=link.kind, is_look_alike=link.host not in plain) for link in links]
    if not _NON_ASCII_HOST.search(plain):
        return marked
    seen = {link.host for link in links}
    return marked + [Link(host=link.host, kind=link.kind, is_look_alike=disarm.is_mixed_script(link.host))
                     for link in _hosts(plain) if link.host not in seen]  # a host in Cyrillic only is no trick


def is_allowed(link: Link, allowed_domains: frozenset[str], allow_all: bool) -> bool:
    """A look-alike host never is; otherwise any link where links are allowed, or a host under an allowed domain."""
    if link.is_look_alike:
        return False
    if allow_all:
        return True
    host = link.host
    return any(host == domain or host.endswith(f'.{domain}') for domain in allowed_domains)
