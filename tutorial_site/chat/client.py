"""A Python client of the chat protocol (the ``websockets`` library), as tests and benchmarks use it.

    async with ChatClient("ws://127.0.0.1:8000/ws/chat/lobby/", token=access) as chat:
        await chat.send("Hello")
        await chat.wait_for(chat.last_seq + 1)
        print([m["body"] for m in chat.messages])

It does what every client of the protocol must do: it keeps each message once, in ``seq`` order;
a frame that arrives ahead of a gap waits :data:`GAP_WAIT` seconds (frames from two server
processes can arrive slightly out of order), then the client asks for what it lacks with
``since``; a ``history`` frame is complete, so a gap after one is asked for at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

GAP_WAIT = 0.5


@dataclass
class Counts:
    """What arrived, frame by frame, before the client put the messages in order."""

    live: int = 0  # message frames
    live_repeats: int = 0  # message frames whose seq had come in a message frame already
    out_of_order: int = 0  # message frames with a seq below one that came before
    early: int = 0  # message frames that arrived ahead of a gap
    since_requests: int = 0
    caught_up: int = 0  # messages first received in a history frame answering `since`
    errors: list[dict[str, Any]] = field(default_factory=list)


class ChatClient:
    """One websocket in one room. ``messages`` holds every message from ``start`` on, once, in order.

    ``token``: an access JWT sent in the first frame (without it the server expects a session
    cookie, passed in ``headers``). ``start``: the seq after which the client wants every message;
    None starts with the history sent on joining, as the browser does.
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        origin: str | None = None,
        headers: dict[str, str] | None = None,
        start: int | None = None,
        gap_wait: float = GAP_WAIT,
    ) -> None:
        self.url = url
        self.token = token
        self.origin = origin
        self.headers = headers or {}
        self.gap_wait = gap_wait
        self.last_seq = start if start is not None else -1
        self.messages: list[dict[str, Any]] = []
        self.arrived: dict[int, float] = {}  # seq -> time.perf_counter() of its first arrival
        self.counts = Counts()
        self.ready: dict[str, Any] | None = None
        self.presence: list[str] = []
        self.typing: list[str] = []
        self.close_code: int | None = None
        self._early: dict[int, dict[str, Any]] = {}
        self._live_seen: set[int] = set()
        self._highest_live = 0
        self._gap_timer: asyncio.TimerHandle | None = None
        self._catching_up = False
        self._changed = asyncio.Condition()
        self._reading = asyncio.Event()
        self._reading.set()
        self._socket: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._joined = False

    # -- connection --------------------------------------------------------------------------------
    async def connect(self, timeout: float = 10.0) -> dict[str, Any]:
        """Open the socket, authenticate, and wait for ``ready`` and the history; returns ``ready``.

        Called again after the socket closed, it reconnects and resumes: what was missed meanwhile
        is asked for with ``since``, and :attr:`messages` goes on without a gap or a repeat.
        """
        import websockets

        self.ready, self.close_code, self._joined, self._catching_up = None, None, False, False

        self._socket = await websockets.connect(
            self.url,
            origin=self.origin,  # type: ignore[arg-type]
            additional_headers=self.headers,
            max_size=None,  # a `since` reply of 500 long messages is several MiB
            open_timeout=timeout,
        )
        if self.token is not None:
            await self._send({"type": "auth", "token": self.token})
        self._reader = asyncio.create_task(self._read())
        await self._wait(lambda: self.ready is not None and self._joined, timeout, "ready and history")
        assert self.ready is not None
        return self.ready

    async def close(self) -> None:
        if self._gap_timer is not None:
            self._gap_timer.cancel()
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # -- sending -----------------------------------------------------------------------------------
    async def send(self, body: str, client_id: str | None = None) -> None:
        frame: dict[str, Any] = {"type": "message", "body": body}
        if client_id is not None:
            frame["client_id"] = client_id
        await self._send(frame)

    async def send_typing(self) -> None:
        await self._send({"type": "typing"})

    async def catch_up(self) -> None:
        """Ask for every message after :attr:`last_seq` (``since``), as after a pause."""
        self._catching_up = True
        self.counts.since_requests += 1
        await self._send({"type": "since", "seq": max(self.last_seq, 0)})

    async def _send(self, frame: dict[str, Any]) -> None:
        await self._socket.send(json.dumps(frame))

    # -- reading -----------------------------------------------------------------------------------
    def pause(self) -> None:
        """Stop reading the socket (frames pile up in the network buffers) until :meth:`resume`."""
        self._reading.clear()

    def resume(self) -> None:
        self._reading.set()

    async def wait_for(self, seq: int, timeout: float = 10.0) -> None:
        """Wait until every message up to ``seq`` is here (``TimeoutError`` saying what is missing)."""
        await self._wait(lambda: self.last_seq >= seq, timeout, f"every message up to seq {seq}")

    async def wait_until(self, condition: Any, timeout: float = 10.0, what: str = "a condition") -> None:
        """Wait until ``condition()`` is true; it is checked after every frame."""
        await self._wait(condition, timeout, what)

    @property
    def closed(self) -> bool:
        return self.close_code is not None

    async def _wait(self, condition: Any, timeout: float, what: str) -> None:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(lambda: condition() or self.closed), timeout)
            except TimeoutError:
                raise TimeoutError(
                    f"waited {timeout} s for {what}: have up to seq {self.last_seq}, "
                    f"{len(self._early)} early, close code {self.close_code}"
                ) from None
        if not condition():
            raise ConnectionError(f"the server closed the socket with {self.close_code} before {what}")

    async def _read(self) -> None:
        import websockets

        try:
            while True:
                await self._reading.wait()
                text = await self._socket.recv()
                self._handle(json.loads(text))
                async with self._changed:
                    self._changed.notify_all()
        except websockets.ConnectionClosed as closed:
            self.close_code = closed.rcvd.code if closed.rcvd is not None else 1006
            async with self._changed:
                self._changed.notify_all()

    def _handle(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind == "message":
            self._live(frame)
        elif kind == "history":
            self._history(frame)
        elif kind == "ready":
            self.ready = frame
        elif kind == "presence":
            self.presence = frame["users"]
        elif kind == "typing":
            self.typing.append(frame["user"])
        elif kind == "error":
            self.counts.errors.append(frame)

    def _live(self, frame: dict[str, Any]) -> None:
        seq = frame["seq"]
        self.counts.live += 1
        if seq in self._live_seen:
            self.counts.live_repeats += 1
        self._live_seen.add(seq)
        if seq < self._highest_live:
            self.counts.out_of_order += 1
        self._highest_live = max(self._highest_live, seq)
        if self.last_seq >= 0 and seq > self.last_seq + 1 and seq not in self._early:
            self.counts.early += 1
        self._accept(frame)

    def _history(self, frame: dict[str, Any]) -> None:
        messages = frame["messages"]
        joining = not self._joined
        if joining:  # the history sent on joining, right after `ready`
            self._joined = True
            if self.last_seq < 0:  # start with the history window, as the browser does
                self.last_seq = messages[0]["seq"] - 1 if messages else 0
        else:  # the answer to `since`
            self._catching_up = False
            self.counts.caught_up += sum(
                1 for m in messages if m["seq"] > self.last_seq and m["seq"] not in self._early
            )
        for message in messages:
            self._accept(message)
        # A history frame is complete: what is still missing after it is lost, ask at once.
        behind = joining and self.ready is not None and self.ready["last_seq"] > self.last_seq
        if self._early or behind or (frame["more"] and not joining):
            self._ask_since()

    def _accept(self, message: dict[str, Any]) -> None:
        seq = message["seq"]
        if seq <= self.last_seq or seq in self._early:
            return
        self.arrived.setdefault(seq, time.perf_counter())
        if seq != self.last_seq + 1:
            self._early[seq] = message
            if self._gap_timer is None:
                self._gap_timer = asyncio.get_running_loop().call_later(self.gap_wait, self._gap_expired)
            return
        self.messages.append(message)
        self.last_seq = seq
        while self.last_seq + 1 in self._early:
            self.last_seq += 1
            self.messages.append(self._early.pop(self.last_seq))
        if not self._early and self._gap_timer is not None:
            self._gap_timer.cancel()
            self._gap_timer = None

    def _gap_expired(self) -> None:
        self._gap_timer = None
        if self._early:
            self._ask_since()

    def _ask_since(self) -> None:
        if not self._catching_up:
            self._catching_up = True
            task = asyncio.get_running_loop().create_task(self.catch_up())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
