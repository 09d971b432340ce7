"""The chat modes, listed once: which transport carries chat ('auto' is EventSub once a Twitch account is connected,
the local simulator until then)."""

from typing import Literal, get_args

ChatMode = Literal['auto', 'simulator', 'eventsub', 'irc']
CHAT_MODES: tuple[ChatMode, ...] = get_args(ChatMode)
