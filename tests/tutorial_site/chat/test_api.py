"""The JWT views and the history API: who gets a token, who reads which room, pages of 50 by seq."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tutorial_site.chat.models import Room

from .conftest import add_messages


def token(client: Client, username: str, password: str) -> dict:
    response = client.post(
        "/api/token/", {"username": username, "password": password}, content_type="application/json"
    )
    return {"status": response.status_code, **response.json()}


def bearer(access: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {access}"}


def test_a_token_pair_for_the_right_password_only(users: dict) -> None:
    client = Client()
    good = token(client, "alice", "alice-pass")
    assert good["status"] == 200
    assert set(good) == {"status", "access", "refresh"}
    assert token(client, "alice", "wrong")["status"] == 401
    assert token(client, "nobody", "alice-pass")["status"] == 401


def test_an_inactive_user_gets_no_token(users: dict) -> None:
    User.objects.filter(username="alice").update(is_active=False)
    assert token(Client(), "alice", "alice-pass")["status"] == 401


def test_a_refresh_token_gives_a_new_access_token(users: dict, lobby: Room) -> None:
    client = Client()
    refresh = token(client, "alice", "alice-pass")["refresh"]
    response = client.post("/api/token/refresh/", {"refresh": refresh}, content_type="application/json")
    assert response.status_code == 200
    access = response.json()["access"]
    assert client.get("/api/rooms/lobby/messages/", **bearer(access)).status_code == 200
    assert client.get("/api/rooms/lobby/messages/", **bearer(refresh)).status_code == 401


def test_anonymous_requests_get_401_and_no_messages(lobby: Room, users: dict) -> None:
    add_messages(lobby, users["bob"], 3)
    response = Client().get("/api/rooms/lobby/messages/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "results" not in response.json()


@pytest.mark.parametrize(
    ("room", "status"), [("lobby", 403), ("alice__bob", 403), ("nowhere", 404), ("Bad", 404)]
)
def test_a_non_participant_never_reads_the_messages(lobby: Room, users: dict, room: str, status: int) -> None:
    add_messages(lobby, users["bob"], 3)
    client = Client()
    access = token(client, "carol", "carol-pass")["access"]
    response = client.get(f"/api/rooms/{room}/messages/", **bearer(access))
    assert response.status_code == status
    assert "results" not in response.json()


def test_a_session_or_a_bearer_token_reads_the_latest_page(lobby: Room, users: dict) -> None:
    add_messages(lobby, users["bob"], 120)
    by_session = Client()
    by_session.force_login(users["alice"])
    by_token = Client()
    access = token(by_token, "alice", "alice-pass")["access"]
    for response in (
        by_session.get("/api/rooms/lobby/messages/"),
        by_token.get("/api/rooms/lobby/messages/", **bearer(access)),
    ):
        assert response.status_code == 200
        page = response.json()
        assert [m["seq"] for m in page["results"]] == list(range(71, 121))
        assert page["next"] is None
        assert page["previous"].endswith("/api/rooms/lobby/messages/?before=71")
        first = page["results"][0]
        assert set(first) == {"room", "seq", "author", "body", "created", "client_id"}
        assert first["author"] == {"id": users["bob"].pk, "username": "bob"}
        assert first["room"] == "lobby"


def test_pages_before_and_after_a_seq(lobby: Room, users: dict) -> None:
    add_messages(lobby, users["bob"], 120)
    client = Client()
    client.force_login(users["alice"])

    def page(query: str) -> dict:
        response = client.get(f"/api/rooms/lobby/messages/{query}")
        assert response.status_code == 200, response.content
        return response.json()

    older = page("?before=71")
    assert [m["seq"] for m in older["results"]] == list(range(21, 71))
    assert older["previous"].endswith("?before=21")
    assert older["next"].endswith("?after=70")
    oldest = page("?before=21")
    assert [m["seq"] for m in oldest["results"]] == list(range(1, 21))
    assert oldest["previous"] is None
    newer = page("?after=100")
    assert [m["seq"] for m in newer["results"]] == list(range(101, 121))
    assert newer["next"] is None
    assert newer["previous"].endswith("?before=101")
    middle = page("?after=10")
    assert [m["seq"] for m in middle["results"]] == list(range(11, 61))
    assert middle["next"].endswith("?after=60")


@pytest.mark.parametrize(
    ("query", "detail"),
    [("?before=abc", "before"), ("?after=-1", "after"), ("?before=3&after=1", "not both")],
)
def test_a_bad_cursor_is_a_clear_400(lobby: Room, users: dict, query: str, detail: str) -> None:
    client = Client()
    client.force_login(users["alice"])
    response = client.get(f"/api/rooms/lobby/messages/{query}")
    assert response.status_code == 400
    assert detail in str(response.json())


def test_a_direct_room_not_created_yet_is_empty_for_its_users(users: dict) -> None:
    client = Client()
    client.force_login(users["alice"])
    response = client.get("/api/rooms/alice__bob/messages/")
    assert response.status_code == 200
    assert response.json() == {"next": None, "previous": None, "results": []}
    assert not Room.objects.filter(name="alice__bob").exists()  # reading creates nothing
