"""The chat's pages: your rooms, starting a direct chat, a room's page (no build step, plain JS)."""

import json
import re

import pytest
from django.test import Client

from tutorial_site.chat.models import Room


@pytest.fixture
def alice(users: dict, lobby: Room) -> Client:
    client = Client()
    client.force_login(users["alice"])
    return client


def test_the_pages_need_a_login(lobby: Room) -> None:
    for path in ("/chat/", "/chat/lobby/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_the_index_lists_your_rooms_only(alice: Client, users: dict) -> None:
    hidden = Room.objects.create(name="bob__carol", kind=Room.Kind.DIRECT)
    hidden.participants.set([users["bob"], users["carol"]])
    page = alice.get("/chat/").content.decode()
    assert 'href="/chat/lobby/"' in page
    assert "bob__carol" not in page
    assert '<option value="bob">' in page


@pytest.mark.parametrize(
    ("username", "error"),
    [("alice", "That is you"), ("nobody", "There is no user &#x27;nobody&#x27;")],
)
def test_starting_a_direct_chat_with_a_bad_name_says_why(alice: Client, username: str, error: str) -> None:
    response = alice.get("/chat/", {"username": username})
    assert response.status_code == 200
    assert error in response.content.decode()


def test_starting_a_direct_chat_opens_its_room(alice: Client) -> None:
    response = alice.get("/chat/", {"username": "carol"})
    assert response.status_code == 302
    assert response["Location"] == "/chat/alice__carol/"


def test_a_room_page_carries_its_settings_as_json(alice: Client) -> None:
    page = alice.get("/chat/lobby/").content.decode()
    config = json.loads(
        re.search(r'<script id="chat-config" type="application/json">(.*?)</script>', page).group(1)
    )
    assert config["room"] == "lobby"
    assert config["user"] == "alice"
    assert config["socket"] == "/ws/chat/lobby/"
    assert config["api"] == "/api/rooms/lobby/messages/"
    assert config["maxBody"] == 4000
    assert "chat/chat.js" in page


@pytest.mark.parametrize(
    ("path", "status"), [("/chat/bob__carol/", 403), ("/chat/nowhere/", 404), ("/chat/bob__alice/", 404)]
)
def test_a_room_you_cannot_join_is_a_clear_page(alice: Client, path: str, status: int) -> None:
    response = alice.get(path)
    assert response.status_code == status
    assert "Back to your rooms" in response.content.decode()


def test_the_static_client_is_served_by_the_asgi_application_in_development() -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("chat/chat.js")
    assert finders.find("chat/chat.css")
