"""The Python client's bookkeeping: each message once, in seq order; a gap waits half a second for a
late frame, then asks ``since``; a gap after a history frame is asked for at once."""

import asyncio
from typing import Any

from asgiref.sync import async_to_sync

from tutorial_site.chat.client import ChatClient


def message(seq: int) -> dict[str, Any]:
    return {
        "type": "message",
        "room": "lobby",
        "seq": seq,
        "author": "bob",
        "body": f"m{seq}",
        "client_id": None,
    }


class Recorded(ChatClient):
    """A client whose frames to the server are recorded instead of sent (no socket)."""

    def __init__(self, **options: Any) -> None:
        super().__init__("ws://unused/", **options)
        self.sent: list[dict[str, Any]] = []

    async def _send(self, frame: dict[str, Any]) -> None:
        self.sent.append(frame)

    def joined(self, last_seq: int, history: list[int]) -> None:
        self._handle({"type": "ready", "room": "lobby", "user": "alice", "last_seq": last_seq})
        self._handle({"type": "history", "messages": [message(s) for s in history], "more": False})


def test_a_frame_late_by_less_than_the_wait_asks_nothing() -> None:
    async def scenario():
        client = Recorded(start=0)
        client.joined(0, [])
        for seq in (1, 3):
            client._handle(message(seq))
        await asyncio.sleep(0.1)
        client._handle(message(2))  # the late frame: the gap closes before the wait is over
        await asyncio.sleep(0.6)
        return client

    client = async_to_sync(scenario)()
    assert [m["seq"] for m in client.messages] == [1, 2, 3]
    assert client.sent == []
    assert client.counts.out_of_order == 1


def test_a_gap_still_open_after_the_wait_is_asked_for_with_since() -> None:
    async def scenario():
        client = Recorded(start=0, gap_wait=0.5)
        client.joined(0, [])
        client._handle(message(1))
        client._handle(message(4))
        await asyncio.sleep(0.3)
        asked_early = list(client.sent)
        await asyncio.sleep(0.4)
        asked = list(client.sent)
        client._handle({"type": "history", "messages": [message(2), message(3), message(4)], "more": False})
        return client, asked_early, asked

    client, asked_early, asked = async_to_sync(scenario)()
    assert asked_early == []
    assert asked == [{"type": "since", "seq": 1}]
    assert [m["seq"] for m in client.messages] == [1, 2, 3, 4]
    assert client.counts.caught_up == 2


def test_missing_messages_before_the_joining_history_are_asked_for_at_once() -> None:
    async def scenario():
        client = Recorded(start=10)  # had everything up to 10, then was away
        client.joined(80, list(range(31, 81)))
        await asyncio.sleep(0)  # let the `since` task run
        return client

    client = async_to_sync(scenario)()
    assert client.sent == [{"type": "since", "seq": 10}]
    assert client.last_seq == 10  # 31..80 wait for 11..30


def test_a_since_reply_with_more_asks_again() -> None:
    async def scenario():
        client = Recorded(start=0)
        client.joined(0, [])
        await client.catch_up()
        client._handle({"type": "history", "messages": [message(s) for s in range(1, 501)], "more": True})
        await asyncio.sleep(0)
        return client

    client = async_to_sync(scenario)()
    assert client.sent == [{"type": "since", "seq": 0}, {"type": "since", "seq": 500}]
