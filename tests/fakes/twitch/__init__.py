"""A loopback fake of the parts of Twitch Byte uses: id (OAuth), Helix, EventSub WebSocket and IRC WebSocket.

Payload shapes follow Twitch's documentation; the fake keeps a clock-stamped log of every chat message sent.
"""

from tests.fakes.twitch.server import FakeTwitch
from tests.fakes.twitch.state import FakeUser, SentMessage, TwitchState

__all__ = ['FakeTwitch', 'FakeUser', 'SentMessage', 'TwitchState']
