"""Users and rooms for the chat's tests: alice and bob share the group room ``lobby``; carol does not.

Under ``async_to_sync`` the consumer's ``database_sync_to_async`` work runs in the test's thread, on
the test's connection. It closes "old" connections before and after, and a connection inside the
test's transaction counts as one; so, as Django's test client does for requests, the tests keep
that connection open (``keep_connection``). Tests that need committed rows use ``transactional_db``.
"""

import pytest
from django.contrib.auth.models import User

from tutorial_site.chat.models import Message, Room


@pytest.fixture(autouse=True)
def keep_connection(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """The consumer's work leaves the test's connection open (unless the test commits its rows)."""
    if "transactional_db" not in request.fixturenames:
        monkeypatch.setattr("channels.db.close_old_connections", lambda **kwargs: None)


@pytest.fixture
def users(db: None) -> dict[str, User]:
    return {
        name: User.objects.create_user(name, password=f"{name}-pass") for name in ("alice", "bob", "carol")
    }


@pytest.fixture
def lobby(users: dict[str, User]) -> Room:
    room = Room.objects.create(name="lobby", kind=Room.Kind.GROUP)
    room.participants.set([users["alice"], users["bob"]])
    return room


def add_messages(room: Room, author: User, count: int) -> None:
    """``count`` more messages in ``room``, numbered after its last one (as the chat stores them)."""
    first = room.last_seq + 1
    Message.objects.bulk_create(
        Message(room=room, seq=seq, author=author, body=f"message {seq}")
        for seq in range(first, first + count)
    )
    room.last_seq += count
    Room.objects.filter(pk=room.pk).update(last_seq=room.last_seq)
