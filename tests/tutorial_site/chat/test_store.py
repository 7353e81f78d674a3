"""Storing messages: gap-free seq per room, repeats of a client_id stored once, batches."""

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from tutorial_site.chat import store
from tutorial_site.chat.models import Message, Room

from .conftest import add_messages


def new(room: Room, author: User, body: str, client_id: str | None = None) -> store.NewMessage:
    return store.NewMessage(room.pk, room.name, author.pk, author.username, body, client_id)


def test_seq_is_the_rooms_next_number(lobby: Room, users: dict) -> None:
    add_messages(lobby, users["bob"], 3)
    stored = store.post(new(lobby, users["alice"], "four"))
    assert stored.new
    assert '"seq":4' in stored.text
    assert Room.objects.get(pk=lobby.pk).last_seq == 4


def test_a_rolled_back_message_gives_its_number_back(lobby: Room, users: dict) -> None:
    def take_a_number_then_fail() -> None:
        with transaction.atomic():
            store.next_seq(lobby.pk)
            raise RuntimeError("the INSERT failed")

    with pytest.raises(RuntimeError):
        take_a_number_then_fail()
    store.post(new(lobby, users["alice"], "first"))
    assert list(Message.objects.values_list("seq", flat=True)) == [1]


def test_a_repeat_of_a_client_id_is_stored_once(lobby: Room, users: dict) -> None:
    first = store.post(new(lobby, users["alice"], "hello", "c1"))
    again = store.post(new(lobby, users["alice"], "hello (sent again)", "c1"))
    assert first.new
    assert not again.new
    assert again.text == first.text
    assert Message.objects.count() == 1
    assert Room.objects.get(pk=lobby.pk).last_seq == 1  # the repeat took no number


def test_a_batch_numbers_each_room_in_order_and_knows_repeats(lobby: Room, users: dict) -> None:
    other = Room.objects.create(name="other")
    alice, bob = users["alice"], users["bob"]
    store.post(new(lobby, alice, "earlier", "old"))
    batch = [
        new(lobby, alice, "a", "a1"),
        new(other, bob, "b"),
        new(lobby, alice, "earlier, again", "old"),  # stored before this batch
        new(lobby, bob, "c", "a1"),  # same client_id, another author: a new message
        new(lobby, alice, "a, again", "a1"),  # a repeat inside the batch
        new(other, bob, "d"),
    ]
    results = store.post_many(batch)
    assert [r.new for r in results] == [True, True, False, True, False, True]
    assert results[4].text == results[0].text
    lobby_seqs = list(Message.objects.filter(room=lobby).order_by("seq").values_list("seq", "body"))
    assert lobby_seqs == [(1, "earlier"), (2, "a"), (3, "c")]
    assert list(Message.objects.filter(room=other).order_by("seq").values_list("seq", "body")) == [
        (1, "b"),
        (2, "d"),
    ]
    assert Room.objects.get(pk=lobby.pk).last_seq == 3
    assert Room.objects.get(pk=other.pk).last_seq == 2


def test_latest_and_after_read_in_seq_order(lobby: Room, users: dict) -> None:
    add_messages(lobby, users["bob"], 120)
    latest, older = store.latest(lobby)
    assert [m["seq"] for m in latest] == list(range(71, 121))
    assert older
    after, more = store.after(lobby, 100)
    assert [m["seq"] for m in after] == list(range(101, 121))
    assert not more
    assert store.after(lobby, 0, limit=10)[1]
