"""Byte works around two twitchio 3 behaviours through private attributes, in runtime/transports/eventsub_client.py
(dead sockets kept after a reconnect, a reconnect that outlives close()), and reads chat notifications itself
(runtime/transports/eventsub_chat.py, through the socket's `_process_notification` and `_client`). If an upgrade renames
them, this fails before a streamer does."""

import inspect

import twitchio
from twitchio.eventsub.websockets import Websocket


def test_the_private_parts_byte_relies_on_still_exist() -> None:
    client = twitchio.Client(client_id='x', client_secret='y')
    assert isinstance(client._websockets, dict)
    source = inspect.getsource(Websocket)
    assert '_connection_tasks' in source and 'def connected' in source
    assert hasattr(twitchio.Route, 'BASE') and hasattr(twitchio.Route, 'ID_BASE')
    assert 'await self._process_notification(' in source and 'self._client' in source
    assert 'async def _process_notification(self, data: NotificationMessage) -> None:' in source
