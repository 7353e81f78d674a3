"""The chat against a live daphne, with the ``websockets`` library: what a real client goes through."""

import asyncio
import json
import urllib.error

import pytest
import websockets
from asgiref.sync import async_to_sync

from tutorial_site.chat.client import ChatClient

from .live import LiveSite


def run(scenario, *args):
    return async_to_sync(scenario)(*args)


def test_the_jwt_path_end_to_end(live: LiveSite) -> None:
    pair = live.post_json("/api/token/", {"username": "alice", "password": "alice-demo"})
    refreshed = live.post_json("/api/token/refresh/", {"refresh": pair["refresh"]})["access"]

    async def scenario():
        async with ChatClient(
            live.ws("/ws/chat/lobby/"), token=pair["access"], origin=live.origin()
        ) as first:
            await first.send("Hello over a live socket", client_id="live-1")
            await first.wait_for(first.ready["last_seq"] + 1)
            sent = first.messages[-1]
        async with ChatClient(live.ws("/ws/chat/lobby/"), token=refreshed, origin=live.origin()) as second:
            ready = second.ready
        return sent, ready

    sent, ready = run(scenario)
    assert (sent["author"], sent["body"], sent["client_id"]) == (
        "alice",
        "Hello over a live socket",
        "live-1",
    )
    assert ready["user"] == "alice"
    assert ready["last_seq"] == sent["seq"]
    page = live.get_json(f"/api/rooms/lobby/messages/?after={sent['seq'] - 1}", pair["access"])
    assert [(m["seq"], m["body"], m["author"]["username"]) for m in page["results"]] == [
        (sent["seq"], "Hello over a live socket", "alice")
    ]


def test_without_credentials_a_live_socket_closes_with_4401(live: LiveSite) -> None:
    token = live.token("alice")

    async def scenario():
        async with websockets.connect(
            live.ws(f"/ws/chat/lobby/?token={token}"), origin=live.origin()
        ) as socket:
            await socket.send(json.dumps({"type": "message", "body": "no auth frame"}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await socket.recv()
            return closed.value.rcvd.code

    assert run(scenario) == 4401


def test_a_bad_password_gets_no_token(live: LiveSite) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        live.post_json("/api/token/", {"username": "alice", "password": "wrong"})
    refused.value.close()
    assert refused.value.code == 401


def test_daphne_refuses_a_cross_origin_handshake(live: LiveSite) -> None:
    async def scenario():
        with pytest.raises(websockets.InvalidStatus) as refused:
            await websockets.connect(live.ws("/ws/chat/lobby/"), origin="http://evil.example")
        return refused.value.response.status_code

    assert run(scenario) == 403


def test_a_frame_over_64_kib_closes_a_live_socket_with_4009(live: LiveSite) -> None:
    async def scenario():
        async with live.client("lobby", "bob") as bob:
            last = bob.ready["last_seq"]
            await bob._socket.send(json.dumps({"type": "message", "body": "x" * 70_000}))
            await bob.wait_until(lambda: bob.closed, what="the close")
            return bob.close_code, last

    code, last = run(scenario)
    assert code == 4009

    async def check():
        async with live.client("lobby", "alice") as alice:
            return alice.ready["last_seq"]

    assert run(check) == last  # nothing was stored


def test_a_slow_reader_catches_up_with_since_and_has_every_message_once_in_order(live_env: dict) -> None:
    """A client that stops reading stops answering the server's keepalive pings, and the server drops it
    (here after a second or two; daphne's default is 20 + 30 s). Back, it catches up with since."""
    writers_count, each = 14, 40  # 560 messages, 520 once the reader is dropped: more than a since reply
    site = LiveSite(live_env).start(1, "--ping-interval", "1", "--ping-timeout", "2")

    alice = site.token("alice")
    reader = site.client("book-club", "carol")
    observer = site.client("book-club", "alice", token=alice)
    writers = [site.client("book-club", "alice", token=alice) for _ in range(writers_count)]

    async def scenario():
        await reader.connect()
        start = reader.last_seq
        await observer.connect()
        await asyncio.gather(*(w.connect() for w in writers))
        reader.pause()  # stops reading: once its library's queue is full, pings go unanswered

        async def send(writer: ChatClient, i: int) -> None:
            for j in range(each):
                await writer.send(f"{i}-{j}", client_id=f"{i}-{j}")

        await send(writers[0], 0)
        await observer.wait_until(lambda: "carol" not in observer.presence, timeout=30, what="carol dropped")
        for i, writer in enumerate(writers[1:], 1):
            await send(writer, i)
        total = start + writers_count * each
        await observer.wait_for(total, timeout=60)
        reader.resume()
        await reader.wait_until(lambda: reader.closed, timeout=20, what="the dropped socket's close")
        await reader.connect()  # back: history, a gap, then since, 500 at a time
        await reader.wait_for(total, timeout=60)
        for client in (reader, observer, *writers):
            await client.close()
        return start

    try:
        start = run(scenario)
    finally:
        site.stop()
    missed = [m for m in reader.messages if m["seq"] > start]
    assert [m["seq"] for m in missed] == list(
        range(start + 1, start + writers_count * each + 1)
    )  # once, in order
    assert sorted(m["body"] for m in missed) == sorted(
        f"{i}-{j}" for i in range(writers_count) for j in range(each)
    )
    missed_while_away = writers_count * each - reader.counts.live
    assert missed_while_away >= 520
    assert reader.counts.since_requests >= 2  # two pages of since ...
    assert reader.counts.caught_up >= missed_while_away - 50  # ... for all the history frame left out
