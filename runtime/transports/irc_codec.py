"""Twitch IRC lines (RFC 1459 with IRCv3 message tags), parsed and built.

Format: ['@' tags ' '] [':' prefix ' '] command [params] [' :' trailing]. Tag values escape ';' as '\\:',
space as '\\s', '\\' as '\\\\', CR as '\\r' and LF as '\\n' (IRCv3 message-tags).
"""

from __future__ import annotations

from dataclasses import dataclass, field

_UNESCAPE = {':': ';', 's': ' ', '\\': '\\', 'r': '\r', 'n': '\n'}
_ESCAPE = {';': '\\:', ' ': '\\s', '\\': '\\\\', '\r': '\\r', '\n': '\\n'}


@dataclass(frozen=True)
class IrcMessage:
    command: str
    params: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    prefix: str = ''

    @property
    def nick(self) -> str:
        """The sender's login from a 'nick!user@host' prefix."""
        return self.prefix.split('!', 1)[0] if '!' in self.prefix else ''

    @property
    def channel(self) -> str:
        """The channel login of a '#channel' first parameter, else ''."""
        return self.params[0][1:].lower() if self.params and self.params[0].startswith('#') else ''

    @property
    def text(self) -> str:
        """The trailing parameter (the chat text of a PRIVMSG or NOTICE)."""
        return self.params[-1] if self.params else ''


def unescape_tag_value(value: str) -> str:
    if '\\' not in value:  # nearly every value: nothing to undo
        return value
    out: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == '\\' and index + 1 < len(value):
            out.append(_UNESCAPE.get(value[index + 1], value[index + 1]))
            index += 2
            continue
        if char != '\\':  # a lone trailing backslash is dropped, as the spec says
            out.append(char)
        index += 1
    return ''.join(out)


def escape_tag_value(value: str) -> str:
    return ''.join(_ESCAPE.get(char, char) for char in value)


def parse_line(line: str) -> IrcMessage:
    """Parse one line (without its CR LF). Raises ValueError for a line with no command."""
    rest = line.rstrip('\r\n')
    tags: dict[str, str] = {}
    if rest.startswith('@'):
        raw_tags, _, rest = rest[1:].partition(' ')
        for item in raw_tags.split(';'):
            if item:
                key, _, value = item.partition('=')
                tags[key] = unescape_tag_value(value)
    rest = rest.lstrip(' ')
    prefix = ''
    if rest.startswith(':'):
        prefix, _, rest = rest[1:].partition(' ')
    middle, has_trailing, trailing = rest.partition(' :')
    words = middle.split()
    if not words:
        raise ValueError(f'not an IRC line: {line[:80]!r}')
    params = tuple(words[1:]) + ((trailing,) if has_trailing else ())
    return IrcMessage(command=words[0].upper(), params=params, tags=tags, prefix=prefix)


def build_line(command: str, *params: str, tags: dict[str, str] | None = None, prefix: str = '') -> str:
    """Build a line. The last parameter is sent as trailing (':'-prefixed) when it must be (spaces, empty, a
    leading ':') and always for PRIVMSG. CR and LF never reach the wire."""
    clean = [param.replace('\r', ' ').replace('\n', ' ') for param in params]
    parts = []
    if tags:
        parts.append('@' + ';'.join(f'{key}={escape_tag_value(value)}' for key, value in tags.items()))
    if prefix:
        parts.append(f':{prefix}')
    parts.append(command)
    if clean:
        last = clean[-1]
        needs_colon = command == 'PRIVMSG' or not last or ' ' in last or last.startswith(':')
        parts.extend(clean[:-1])
        parts.append(f':{last}' if needs_colon else last)
    return ' '.join(parts)


def privmsg(channel: str, text: str, reply_to: str | None = None) -> str:
    return build_line('PRIVMSG', f'#{channel}', text, tags={'reply-parent-msg-id': reply_to} if reply_to else None)
