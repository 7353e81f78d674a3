"""The chat's part of ``manage.py seed``: demo users, rooms and messages, deterministic and lab-only."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings

from tutorial_site.chat.models import Message, Room
from tutorial_site.chat.seeding import DEMO_USERS, demo_password, seed_chat

BOTH = ["default", "other"]


def content(using: str) -> list[tuple]:
    return list(
        Message.objects.using(using)
        .order_by("room__name", "seq")
        .values_list("room__name", "seq", "author__username", "body", "created")
    )


@pytest.mark.django_db(databases=BOTH)
def test_the_same_seed_gives_the_same_chat_in_two_databases() -> None:
    written = seed_chat("default")
    seed_chat("other")
    assert written == {"chat users": 3, "chat rooms": 4, "chat messages": 270}
    assert content("default") == content("other")
    lobby = Room.objects.get(name="lobby")
    assert lobby.last_seq == lobby.messages.count() == 120
    assert sorted(lobby.participants.values_list("username", flat=True)) == ["alice", "bob", "carol"]


@pytest.mark.django_db(databases=BOTH)
def test_another_seed_gives_another_chat() -> None:
    seed_chat("default", seed=0)
    seed_chat("other", seed=1)
    assert content("default") != content("other")


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_users_log_in_with_their_documented_password_in_development() -> None:
    seed_chat()
    for name in DEMO_USERS:
        assert authenticate(username=name, password=f"{name}-demo") is not None
        assert demo_password(name) == f"{name}-demo"


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_with_debug_off_nobody_can_log_in_as_a_demo_user() -> None:
    seed_chat()
    for user in User.objects.filter(username__in=DEMO_USERS):
        assert not user.has_usable_password()
        assert authenticate(username=user.username, password=demo_password(user.username)) is None


@pytest.mark.django_db
def test_seeding_again_keeps_the_chat_unless_replaced(users: dict) -> None:
    seed_chat()
    lobby = Room.objects.get(name="lobby")
    Message.objects.create(room=lobby, seq=121, author=users["carol"], body="posted since")
    mine = Room.objects.create(name="my-room")
    assert seed_chat() == {}
    assert Message.objects.filter(body="posted since").exists()
    assert seed_chat(replace=True)["chat messages"] == 270
    assert not Message.objects.filter(body="posted since").exists()
    assert Room.objects.filter(pk=mine.pk).exists()  # rooms the users made are kept


@pytest.mark.django_db
def test_manage_py_seed_seeds_the_chat_and_flush_replaces_it() -> None:
    out = StringIO()
    call_command("seed", stdout=out, stderr=StringIO())
    assert "chat messages 270" in out.getvalue()
    lobby = Room.objects.get(name="lobby")
    Message.objects.filter(room=lobby, seq=120).delete()
    call_command("seed", "--flush", verbosity=0)
    assert Room.objects.get(name="lobby").messages.count() == 120


@pytest.mark.django_db
def test_the_lobby_shows_that_bodies_are_plain_text() -> None:
    seed_chat()
    bodies = list(
        Message.objects.filter(room__name="lobby").order_by("-seq").values_list("body", flat=True)[:4]
    )
    assert any("<img src=x onerror=alert(1)>" in body for body in bodies)
