"""``manage.py chat_room``: group rooms from the command line, with clear refusals; Room.clean."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from tutorial_site.chat.models import Room


# Two runs of the command each list one room's participants: one load per run, not an N+1.
@pytest.mark.profiler_allow("Room.participants")
def test_chat_room_creates_a_group_room_then_adds_to_it(users: dict) -> None:
    call_command("chat_room", "book-club", "--users", "alice", "carol", verbosity=0)
    call_command("chat_room", "book-club", "--users", "bob", verbosity=0)
    room = Room.objects.get(name="book-club")
    assert room.kind == Room.Kind.GROUP
    assert sorted(room.participants.values_list("username", flat=True)) == ["alice", "bob", "carol"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Book Club", "--users", "alice"], "is not a room name"),
        (["alice__bob", "--users", "alice"], "marks direct rooms"),
        (["club", "--users", "alice", "zed"], "No such user: zed. Nothing was changed."),
    ],
)
def test_chat_room_refuses_bad_input_and_changes_nothing(users: dict, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("chat_room", *args, verbosity=0)
    assert not Room.objects.exists()


@pytest.mark.parametrize(
    ("name", "kind"),
    [("alice__bob", Room.Kind.GROUP), ("lobby", Room.Kind.DIRECT), ("bob__alice", Room.Kind.DIRECT)],
)
def test_room_names_and_kinds_must_agree(db: None, name: str, kind: str) -> None:
    with pytest.raises(ValidationError):
        Room(name=name, kind=kind).full_clean()


def test_the_admin_lists_rooms_and_messages(users: dict, lobby: Room, admin_client) -> None:
    for path in ("/admin/chat/room/", "/admin/chat/message/", f"/admin/chat/room/{lobby.pk}/change/"):
        assert admin_client.get(path).status_code == 200
