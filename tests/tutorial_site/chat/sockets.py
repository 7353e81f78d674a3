"""Websocket helpers of the chat's tests: ``channels.testing.WebsocketCommunicator`` on the real
ASGI application (Origin check, session middleware, routing, consumer), frame by frame."""

from __future__ import annotations

import json
import time
from typing import Any

from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from tutorial_site.asgi import application

ORIGIN = "http://127.0.0.1"
TIMEOUT = 5  # seconds: generous, the machine may be busy


def token_for(user: AbstractBaseUser) -> str:
    return str(AccessToken.for_user(user))


def session_cookie(user: AbstractBaseUser) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


class Socket:
    """One client websocket; :meth:`next` reads its frames as JSON, skipping presence by default."""

    def __init__(self, path: str, *, origin: str | None = ORIGIN, cookie: str | None = None) -> None:
        headers = []
        if origin is not None:
            headers.append((b"origin", origin.encode()))
        if cookie is not None:
            headers.append((b"cookie", cookie.encode()))
        self.communicator = WebsocketCommunicator(application, path, headers=headers)
        self.stash: list[dict[str, Any]] = []

    async def open(self) -> bool:
        accepted, _ = await self.communicator.connect(timeout=TIMEOUT)
        return bool(accepted)

    async def send(self, frame: dict[str, Any] | str | bytes) -> None:
        if isinstance(frame, bytes):
            await self.communicator.send_to(bytes_data=frame)
        else:
            await self.communicator.send_to(text_data=frame if isinstance(frame, str) else json.dumps(frame))

    async def next(
        self, *, skip: tuple[str, ...] = ("presence",), timeout: float = TIMEOUT
    ) -> dict[str, Any]:
        """The next frame whose type is not in ``skip``; fails on a close instead."""
        while True:
            output = await self.communicator.receive_output(timeout)
            assert output["type"] == "websocket.send", f"expected a frame, got {output}"
            frame = json.loads(output["text"])
            if frame["type"] not in skip:
                return frame

    async def closed(self, timeout: float = TIMEOUT) -> int:
        """The close code the server ends the connection with (frames before it are skipped)."""
        while True:
            output = await self.communicator.receive_output(timeout)
            if output["type"] == "websocket.close":
                return int(output.get("code", 1000))

    async def silent(self, timeout: float = 0.3, *, skip: tuple[str, ...] = ("presence",)) -> bool:
        """Whether nothing (no frame but of a type in ``skip``, no close) arrives within ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            # receive_nothing, never receive_output: a timeout there cancels the application.
            if await self.communicator.receive_nothing(left):
                return True
            output = await self.communicator.receive_output(TIMEOUT)
            if output["type"] != "websocket.send" or json.loads(output["text"])["type"] not in skip:
                return False
        return True

    async def close(self) -> None:
        await self.communicator.disconnect(timeout=TIMEOUT)


async def join(
    room: str, user: AbstractBaseUser, *, query: str = ""
) -> tuple[Socket, dict[str, Any], dict[str, Any]]:
    """A socket of ``user`` in ``room`` (JWT in the first frame), with its ``ready`` and ``history``."""
    socket = Socket(f"/ws/chat/{room}/{query}")
    assert await socket.open()
    await socket.send({"type": "auth", "token": token_for(user)})
    ready = await socket.next()
    assert ready["type"] == "ready", ready
    history = await socket.next()
    assert history["type"] == "history", history
    return socket, ready, history


async def post(socket: Socket, body: str, **fields: Any) -> None:
    await socket.send({"type": "message", "body": body, **fields})
