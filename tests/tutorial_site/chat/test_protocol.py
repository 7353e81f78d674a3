"""The protocol module alone: room names, frame sizes, parsing client frames (no Django, no database)."""

import pytest

from tutorial_site.chat import protocol
from tutorial_site.chat.protocol import Auth, ErrorCode, Post, ProtocolError, Since, Typing
from tutorial_site.chat.ratelimit import TokenBucket


@pytest.mark.parametrize("name", ["lobby", "a", "book-club", "alice__bob", "x" * 64, "0_9-z"])
def test_valid_room_names(name: str) -> None:
    assert protocol.is_room_name(name)


@pytest.mark.parametrize("name", ["", "Lobby", "x" * 65, "a b", "é", "lobby\n", "a.b", "a/b"])
def test_invalid_room_names(name: str) -> None:
    assert not protocol.is_room_name(name)


@pytest.mark.parametrize(
    ("name", "users"),
    [
        ("alice__bob", ("alice", "bob")),
        ("bob__alice", None),  # not sorted
        ("alice__alice", None),
        ("alice", None),
        ("a__b__c", None),
        ("__bob", None),
    ],
)
def test_direct_room_names_are_two_sorted_distinct_users(name: str, users: tuple | None) -> None:
    assert protocol.direct_usernames(name) == users


def test_frame_size_counts_utf8_bytes() -> None:
    assert not protocol.frame_too_large("x" * 65_536)
    assert protocol.frame_too_large("x" * 65_537)
    assert not protocol.frame_too_large("é" * 32_768)  # 2 bytes each: 65,536 bytes
    assert protocol.frame_too_large("é" * 32_769)
    assert protocol.frame_too_large("😀" * 16_385)


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        ('{"type": "auth", "token": "abc"}', Auth("abc")),
        ('{"type": "message", "body": "hi"}', Post("hi", None)),
        ('{"type": "message", "body": "hi", "client_id": null}', Post("hi", None)),
        ('{"type": "message", "body": "hi", "client_id": "c1", "author": "x"}', Post("hi", "c1")),
        ('{"type": "since", "seq": 0}', Since(0)),
        ('{"type": "typing"}', Typing()),
    ],
)
def test_client_frames(text: str, frame: object) -> None:
    assert protocol.parse(text) == frame


@pytest.mark.parametrize(
    ("text", "code", "detail"),
    [
        ("{", ErrorCode.BAD_JSON, "not JSON"),
        ("[]", ErrorCode.BAD_JSON, "a JSON list"),
        ('{"type": "x"}', ErrorCode.UNKNOWN_TYPE, "send one of auth, message, since, typing"),
        ('{"type": "message", "body": "' + "x" * 4001 + '"}', ErrorCode.TOO_LONG, "4,001 characters"),
        ('{"type": "since", "seq": -1}', ErrorCode.BAD_FIELD, "whole number >= 0"),
    ],
)
def test_bad_frames_say_what_is_wrong(text: str, code: ErrorCode, detail: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        protocol.parse(text)
    assert caught.value.code == code
    assert detail in caught.value.detail


def test_error_frames() -> None:
    assert protocol.error(ErrorCode.EMPTY, "The message is empty.") == {
        "type": "error",
        "code": "empty",
        "detail": "The message is empty.",
    }


def test_the_rate_limit_allows_bursts_of_40_then_20_a_second() -> None:
    now = [0.0]
    bucket = TokenBucket(protocol.MESSAGE_RATE, protocol.MESSAGE_BURST, clock=lambda: now[0])
    assert sum(bucket.take() for _ in range(50)) == 40
    now[0] += 0.5  # half a second: 10 more
    assert sum(bucket.take() for _ in range(50)) == 10
    now[0] += 60  # a long pause refills to the burst, no further
    assert sum(bucket.take() for _ in range(100)) == 40
    for _ in range(100):  # a steady 20 a second is always allowed
        now[0] += 0.05
        assert bucket.take()


def test_the_protocols_numbers() -> None:
    assert (protocol.MAX_FRAME_BYTES, protocol.MAX_BODY, protocol.MAX_CLIENT_ID) == (65_536, 4_000, 64)
    assert (protocol.HISTORY_SIZE, protocol.SINCE_LIMIT, protocol.AUTH_TIMEOUT) == (50, 500, 5.0)
    assert (protocol.MESSAGE_RATE, protocol.MESSAGE_BURST) == (20, 40)
    assert [int(c) for c in protocol.Close] == [1000, 4401, 4403, 4404, 4009]
