"""Fan-out inside a server process: one channel-layer subscription per room, however many sockets.

With ``group_add(room, consumer.channel_name)`` for every consumer, each frame of the room goes
through the channel layer once per socket: a queue, a decode and a dispatch each time. The hub
subscribes the process once per room, and writes the frame's text, encoded once by its sender, to
each of the process's sockets in the room. Only public channel-layer calls (``new_channel``,
``receive``, ``group_add``, ``group_discard``), so any layer will do.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable
from typing import Any, Protocol

logger = logging.getLogger(__name__)


class Member(Protocol):
    """A socket of the room: a consumer that can relay an event's text."""

    def relay(self, event: dict[str, Any]) -> Awaitable[None]: ...


class Hub:
    """The rooms of one process (one event loop): their local members, one layer channel for all."""

    def __init__(self, layer: Any) -> None:
        self.layer = layer
        self.channel: str | None = None
        self.rooms: dict[str, weakref.WeakSet[Any]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def join(self, group: str, member: Member) -> None:
        """Relay ``group``'s events to ``member`` from now on (subscribing the process if first)."""
        async with self._lock:
            if self.channel is None:
                self.channel = await self.layer.new_channel("chat.hub.")
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read(self.channel))
            members = self.rooms.setdefault(group, weakref.WeakSet())
            if not members:
                await self.layer.group_add(group, self.channel)
            members.add(member)

    async def leave(self, group: str, member: Member) -> None:
        async with self._lock:
            members = self.rooms.get(group)
            if members is None:
                return
            members.discard(member)
            if not members and self.channel is not None:
                del self.rooms[group]
                await self.layer.group_discard(group, self.channel)

    async def send(self, group: str, event: dict[str, Any]) -> None:
        """Send ``event`` to every member of ``group`` in every process (``group_send``)."""
        await self.layer.group_send(group, {**event, "group": group})

    async def _read(self, channel: str) -> None:
        while True:
            event = await self.layer.receive(channel)
            for member in list(self.rooms.get(event.get("group", ""), ())):
                try:
                    await member.relay(event)
                except Exception:  # one broken socket must not stop the room
                    logger.exception("chat: could not relay an event to a socket")


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub(layer: Any) -> Hub:
    """The hub of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = Hub(layer)
    return _hubs[loop]
