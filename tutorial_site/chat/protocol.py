"""The chat's websocket protocol: its limits and codes, client frames parsed, server frames encoded.

Client frames (JSON objects, text, at most 64 KiB):

- ``{"type": "auth", "token": <access JWT>}``: first frame of a client without a session cookie;
- ``{"type": "message", "body": str, "client_id": str | null}``;
- ``{"type": "since", "seq": int}``;
- ``{"type": "typing"}``.

Server frames: ``ready``, ``history``, ``message``, ``typing``, ``presence`` and ``error`` (see the
builders below). This module knows nothing of Django or the database.

Besides the protocol's limit on messages (:data:`MESSAGE_RATE`, bursts of :data:`MESSAGE_BURST`),
the server answers ``since`` frames beyond the same rate with ``rate_limited``, and passes on at
most two ``typing`` frames a second per connection (a hint: the rest are dropped without a word).
"""

from __future__ import annotations

import datetime
import enum
import json
import re
from dataclasses import dataclass
from typing import Any

ROOM_NAME = re.compile(r"[a-z0-9_-]{1,64}")  # matched whole (fullmatch)
DIRECT_SEPARATOR = "__"  # a direct room is "<a>__<b>": two usernames, sorted
MAX_FRAME_BYTES = 64 * 1024  # what a client may send in one frame
MAX_BODY = 4_000  # characters of a message body
MAX_CLIENT_ID = 64  # characters of a client_id
HISTORY_SIZE = 50  # messages in the history frame sent on joining
SINCE_LIMIT = 500  # messages in a reply to `since`
AUTH_TIMEOUT = 5.0  # seconds a client without a session has to send its auth frame
MESSAGE_RATE = 20.0  # messages per second and connection ...
MESSAGE_BURST = 40  # ... with bursts of this many


class Close(enum.IntEnum):
    """Close codes the server ends a connection with."""

    NORMAL = 1000  # e.g. the database failed: reconnect, send again what was not confirmed
    UNAUTHENTICATED = 4401  # no valid credentials (or none within AUTH_TIMEOUT)
    FORBIDDEN = 4403  # authenticated, but not a participant of the room
    NOT_FOUND = 4404  # not a valid room name, or a direct room naming an unknown user
    TOO_LARGE = 4009  # a frame over MAX_FRAME_BYTES (1009 is reserved to the server library)


class ErrorCode(enum.StrEnum):
    """``code`` of an ``error`` frame: the frame was refused, nothing was stored."""

    BAD_JSON = "bad_json"  # not JSON, or not a JSON object
    UNKNOWN_TYPE = "unknown_type"
    BAD_FIELD = "bad_field"  # a field missing or of the wrong type
    EMPTY = "empty"  # a blank body
    TOO_LONG = "too_long"  # a body over MAX_BODY characters
    RATE_LIMITED = "rate_limited"  # over MESSAGE_RATE messages/s (bursts of MESSAGE_BURST)


class ProtocolError(Exception):
    """A client frame that breaks the protocol: becomes an ``error`` frame (or a 4401 before auth)."""

    def __init__(self, code: ErrorCode, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


# -- client frames -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Auth:
    token: str


@dataclass(frozen=True)
class Post:
    """A ``message`` frame: a body to store and broadcast."""

    body: str
    client_id: str | None


@dataclass(frozen=True)
class Since:
    seq: int


@dataclass(frozen=True)
class Typing:
    pass


ClientFrame = Auth | Post | Since | Typing


def is_room_name(name: str) -> bool:
    """Whether ``name`` is a valid room name (``^[a-z0-9_-]{1,64}$``)."""
    return ROOM_NAME.fullmatch(name) is not None


def direct_usernames(name: str) -> tuple[str, str] | None:
    """The two usernames of a direct room name (``alice__bob``), or None if ``name`` is not one.

    A direct room names two distinct users in sorted order, so each pair has exactly one room.
    """
    parts = name.split(DIRECT_SEPARATOR)
    if len(parts) != 2 or not all(parts) or parts[0] >= parts[1]:
        return None
    return parts[0], parts[1]


def frame_too_large(text: str) -> bool:
    """Whether ``text`` is over :data:`MAX_FRAME_BYTES` once encoded as UTF-8 (cheap when it is small)."""
    if len(text) * 4 <= MAX_FRAME_BYTES:  # at most 4 bytes per character
        return False
    return len(text) > MAX_FRAME_BYTES or len(text.encode()) > MAX_FRAME_BYTES


def parse(text: str) -> ClientFrame:
    """The client frame in ``text``; :class:`ProtocolError` saying what is wrong otherwise."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ProtocolError(ErrorCode.BAD_JSON, "The frame is not JSON.") from None
    if not isinstance(data, dict):
        raise ProtocolError(
            ErrorCode.BAD_JSON, f"A frame is a JSON object, got a JSON {type(data).__name__}."
        )
    kind = data.get("type")
    if not isinstance(kind, str):
        raise ProtocolError(ErrorCode.BAD_FIELD, '"type" is missing or not a string.')
    parser = _PARSERS.get(kind)
    if parser is None:
        raise ProtocolError(
            ErrorCode.UNKNOWN_TYPE,
            f"Unknown frame type {kind[:40]!r}: send one of {', '.join(sorted(_PARSERS))}.",
        )
    return parser(data)


def _auth(data: dict[str, Any]) -> Auth:
    token = data.get("token")
    if not isinstance(token, str) or not token:
        raise ProtocolError(ErrorCode.BAD_FIELD, '"token" must be the access JWT, a non-empty string.')
    return Auth(token)


def _post(data: dict[str, Any]) -> Post:
    body = data.get("body")
    if not isinstance(body, str):
        raise ProtocolError(ErrorCode.BAD_FIELD, '"body" is missing or not a string.')
    client_id = data.get("client_id")
    if client_id is not None and (not isinstance(client_id, str) or not 1 <= len(client_id) <= MAX_CLIENT_ID):
        raise ProtocolError(
            ErrorCode.BAD_FIELD,
            f'"client_id" must be null or a string of 1 to {MAX_CLIENT_ID} characters.',
        )
    if not body.strip():
        raise ProtocolError(ErrorCode.EMPTY, "The message is empty.")
    if len(body) > MAX_BODY:
        raise ProtocolError(
            ErrorCode.TOO_LONG, f"The message has {len(body):,} characters; the limit is {MAX_BODY:,}."
        )
    return Post(body, client_id)


def _since(data: dict[str, Any]) -> Since:
    seq = data.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
        raise ProtocolError(ErrorCode.BAD_FIELD, '"seq" must be a whole number >= 0 (the last seq you have).')
    return Since(seq)


_PARSERS = {
    "auth": _auth,
    "message": _post,
    "since": _since,
    "typing": lambda data: Typing(),
}


# -- server frames -------------------------------------------------------------------------------
def encode(frame: dict[str, Any]) -> str:
    """A server frame as the JSON text sent on the socket (UTF-8, no spaces)."""
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def message(
    room: str, seq: int, author: str, body: str, created: datetime.datetime, client_id: str | None
) -> dict[str, Any]:
    """A stored message as it is broadcast and as it appears in ``history`` frames."""
    return {
        "type": "message",
        "room": room,
        "seq": seq,
        "author": author,
        "body": body,
        "created": created.isoformat(),
        "client_id": client_id,
    }


def ready(room: str, user: str, last_seq: int) -> dict[str, Any]:
    return {"type": "ready", "room": room, "user": user, "last_seq": last_seq}


def history(messages: list[dict[str, Any]], more: bool) -> dict[str, Any]:
    """Messages oldest first; ``more`` when older (join) or newer (``since``) ones were left out."""
    return {"type": "history", "messages": messages, "more": more}


def typing(user: str) -> dict[str, Any]:
    return {"type": "typing", "user": user}


def presence(users: list[str]) -> dict[str, Any]:
    return {"type": "presence", "users": users}


def error(code: ErrorCode, detail: str) -> dict[str, Any]:
    return {"type": "error", "code": str(code), "detail": detail}
