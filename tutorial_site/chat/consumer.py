"""The chat's websocket consumer: ``/ws/chat/<room>/``, the protocol of :mod:`.protocol`.

The path of one message: parse and check the frame, spend a rate-limit token, hand it to the
process's writer, which stores it with the room's next ``seq`` (with the other messages that
arrived meanwhile: one ``database_sync_to_async`` call, one transaction, each frame encoded there
once), then sends that encoded text to the room's group: the channel layer takes it to each server
process once, and there the process's hub writes it as it is to each socket of the room.

Nothing is broadcast before it is stored: a client that misses a frame (the channel layer delivers
at most once) gets it from the database with ``since``.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth.models import AbstractBaseUser

from . import presence, protocol, rooms, store, tokens
from .hub import hub
from .models import Room
from .protocol import Close, ErrorCode, ProtocolError
from .ratelimit import TokenBucket
from .writer import Submission, writer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Joined:
    """What a connection sends when it joins, already encoded."""

    ready: str
    history: str
    presence: str


def join(room: Room, user_id: int, username: str, channel_name: str) -> Joined:
    """Record the connection's presence, then read ``last_seq`` and the latest messages."""
    users = presence.enter(room.pk, user_id, channel_name)
    last_seq = store.last_seq(room)
    messages, more = store.latest(room)
    return Joined(
        ready=protocol.encode(protocol.ready(room.name, username, last_seq)),
        history=protocol.encode(protocol.history(messages, more)),
        presence=protocol.encode(protocol.presence(users)),
    )


def since(room: Room, seq: int) -> str:
    messages, more = store.after(room, seq)
    return protocol.encode(protocol.history(messages, more))


def leave(room_id: int, channel_name: str) -> str:
    return protocol.encode(protocol.presence(presence.leave(room_id, channel_name)))


class ChatConsumer(AsyncWebsocketConsumer):
    """One websocket in one room.

    A connection is accepted first, so that refusals reach the client as close codes (4401, 4403,
    4404, 4009); a refused handshake would only say 403. It then waits for a user: the session's,
    or the one of an ``auth`` frame within :data:`~.protocol.AUTH_TIMEOUT` seconds.
    """

    room_name: str
    group: str
    user: AbstractBaseUser | None = None
    username: str = ""
    room: Room | None = None
    closing: bool = False
    auth_timer: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.room_name = self.scope["url_route"]["kwargs"]["room"]
        self.group = f"chat.{self.room_name}"
        self.messages = TokenBucket(protocol.MESSAGE_RATE, protocol.MESSAGE_BURST)
        self.catch_ups = TokenBucket(protocol.MESSAGE_RATE, protocol.MESSAGE_BURST)
        self.typings = TokenBucket(2, 4)  # typing is a hint: the excess is dropped without a word
        self.tasks: set[asyncio.Task[None]] = set()
        await self.accept()
        if not protocol.is_room_name(self.room_name):
            await self.close_with(Close.NOT_FOUND)
            return
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            await self.enter(user)
        else:
            self.auth_timer = self.start(self.expire_unauthenticated())

    # -- frames from the client ------------------------------------------------------------------
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closing:
            return
        too_large = (
            len(bytes_data or b"") > protocol.MAX_FRAME_BYTES
            if text_data is None
            else protocol.frame_too_large(text_data)
        )
        if too_large:
            await self.close_with(Close.TOO_LARGE)
            return
        try:
            if text_data is None:
                raise ProtocolError(
                    ErrorCode.BAD_JSON, "Binary frames are not part of the protocol: send JSON text."
                )
            frame = protocol.parse(text_data)
        except ProtocolError as exc:
            if self.user is None:
                await self.close_with(Close.UNAUTHENTICATED)
            else:
                await self.send_error(exc.code, exc.detail)
            return
        if self.user is None:
            if isinstance(frame, protocol.Auth):
                await self.authenticate(frame.token)
            else:
                await self.close_with(Close.UNAUTHENTICATED)
            return
        match frame:
            case protocol.Post():
                await self.post(frame)
            case protocol.Since():
                await self.catch_up(frame.seq)
            case protocol.Typing():
                await self.typing()
            case protocol.Auth():
                await self.send_error(
                    ErrorCode.UNKNOWN_TYPE,
                    f"Already authenticated as {self.username}: auth is only a first frame.",
                )

    async def authenticate(self, token: str) -> None:
        if self.auth_timer is not None:
            self.auth_timer.cancel()
        user = await database_sync_to_async(tokens.user_for_token)(token)
        if user is None:
            await self.close_with(Close.UNAUTHENTICATED)
            return
        await self.enter(user)

    async def enter(self, user: AbstractBaseUser) -> None:
        try:
            room = await database_sync_to_async(rooms.open_room)(self.room_name, user)
        except rooms.RoomUnavailable as exc:
            await self.close_with(exc.close_code)
            return
        # Subscribe before reading the history: a message stored meanwhile is in one or the other.
        await hub(self.channel_layer).join(self.group, self)
        self.user, self.username, self.room = user, user.get_username(), room
        joined = await database_sync_to_async(join)(room, user.pk, self.username, self.channel_name)
        await self.send(text_data=joined.ready)
        await self.send(text_data=joined.history)
        await hub(self.channel_layer).send(self.group, {"type": "chat.presence", "text": joined.presence})
        self.start(self.renew_presence())

    async def post(self, frame: protocol.Post) -> None:
        assert self.room is not None
        assert self.user is not None
        if not self.messages.take():
            await self.send_error(
                ErrorCode.RATE_LIMITED,
                f"Over {protocol.MESSAGE_RATE:.0f} messages per second: this one was not stored; "
                "send it again in a moment.",
            )
            return
        message = store.NewMessage(
            self.room.pk, self.room.name, self.user.pk, self.username, frame.body, frame.client_id
        )
        # Handed over, not awaited: this consumer goes on relaying the room's frames meanwhile.
        writer().submit(Submission(message, self.stored, self.store_failed))

    async def stored(self, result: store.Stored) -> None:
        """Called by the writer once the message is stored: broadcast it (encoded once)."""
        if result.new:
            await hub(self.channel_layer).send(self.group, {"type": "chat.message", "text": result.text})
        elif not self.closing:  # a repeated client_id: the sender gets the stored message back
            await self.send(text_data=result.text)

    async def store_failed(self) -> None:
        """The database refused the message: close, so that the client reconnects and sends it again."""
        if not self.closing:
            await self.close_with(Close.NORMAL)

    async def catch_up(self, seq: int) -> None:
        assert self.room is not None
        if not self.catch_ups.take():
            await self.send_error(ErrorCode.RATE_LIMITED, "Too many since requests: wait a moment.")
            return
        await self.send(text_data=await database_sync_to_async(since)(self.room, seq))

    async def typing(self) -> None:
        if self.typings.take():
            text = protocol.encode(protocol.typing(self.username))
            event = {"type": "chat.typing", "text": text, "sender": self.channel_name}
            await hub(self.channel_layer).send(self.group, event)

    # -- events of the room: text encoded once by its sender ----------------------------------------
    async def relay(self, event: dict[str, Any]) -> None:
        """Called by the process's hub for each event of the room: send its text as it is."""
        if self.closing or (event["type"] == "chat.typing" and event["sender"] == self.channel_name):
            return
        await self.send(text_data=event["text"])

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' ``dispatch``, without its ``close_old_connections()`` before every event.

        That call is a thread hop into the database thread, queued behind the database work of every
        connection of the process, for each frame a client sends. This consumer reaches the database
        only through ``database_sync_to_async``, which closes old connections itself.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # -- leaving -----------------------------------------------------------------------------------
    async def disconnect(self, code: int) -> None:
        self.closing = True
        for task in list(self.tasks):
            task.cancel()
        if self.room is not None:
            await hub(self.channel_layer).leave(self.group, self)
            text = await database_sync_to_async(leave)(self.room.pk, self.channel_name)
            await hub(self.channel_layer).send(self.group, {"type": "chat.presence", "text": text})

    async def close_with(self, code: Close) -> None:
        self.closing = True
        await self.close(code=int(code))

    async def send_error(self, code: ErrorCode, detail: str) -> None:
        await self.send(text_data=protocol.encode(protocol.error(code, detail)))

    # -- timers --------------------------------------------------------------------------------------
    def start(self, work: Any) -> asyncio.Task[None]:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("chat: a background task failed", exc_info=task.exception())

    async def expire_unauthenticated(self) -> None:
        await asyncio.sleep(protocol.AUTH_TIMEOUT)
        if self.user is None and not self.closing:
            await self.close_with(Close.UNAUTHENTICATED)

    async def renew_presence(self) -> None:
        while True:
            await asyncio.sleep(presence.RENEW_EVERY)
            await database_sync_to_async(presence.renew)(self.channel_name)
