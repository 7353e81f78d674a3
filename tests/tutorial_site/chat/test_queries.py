"""Joining a room costs the same few queries whatever its history; the lazy history is an N+1."""

import pytest
from django.contrib.auth.models import User

import profiler
from tutorial_site.chat import rooms, store
from tutorial_site.chat.consumer import join
from tutorial_site.chat.models import Message, Room

from .conftest import add_messages

JOIN_QUERIES = 6  # the room and its membership; presence (delete, insert, read); last_seq; history


def joining(room_name: str, user: User) -> None:
    """What the consumer runs on the database when a user joins (two database_sync_to_async calls)."""
    room = rooms.open_room(room_name, user)
    join(room, user.pk, user.username, f"test.channel.{room_name}")


@pytest.mark.parametrize("history", [10, 1_000])
def test_joining_costs_a_fixed_number_of_queries(lobby: Room, users: dict, history: int) -> None:
    add_messages(lobby, users["bob"], history)
    with profiler.assert_max_queries(JOIN_QUERIES) as captured:
        joining("lobby", users["alice"])
    assert len(captured) == JOIN_QUERIES
    assert not captured.n_plus_one()


def test_the_history_query_loads_authors_with_their_messages(lobby: Room, users: dict) -> None:
    add_messages(lobby, users["bob"], 60)
    with profiler.capture() as captured:
        frames, _ = store.latest(lobby)
    assert len(captured) == 1
    assert "JOIN" in captured[0].sql.upper()
    assert {f["author"] for f in frames} == {"bob"}


@pytest.mark.profiler_allow("Message.author")  # the lazy history, on purpose
def test_the_lazy_history_is_an_n_plus_one(lobby: Room, users: dict) -> None:
    add_messages(lobby, users["bob"], 60)
    lazy = Message.objects.filter(room=lobby).order_by("-seq")[:50]  # no select_related("author")
    with profiler.capture() as captured:
        store.message_frames(lobby.name, lazy)
    assert len(captured) == 51  # 1 + N
    (finding,) = captured.n_plus_one()
    assert "Message.author" in str(finding)
    assert "select_related('author')" in str(finding)
