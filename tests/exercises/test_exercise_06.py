"""Exercise 06.1 (the chat's history query): a right answer passes, the N+1 fails on the budget, the
first messages instead of the last fail with the reason, no answer is NOT YET."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tutorial_site.chat.models import Message
from tutorial_site.chat.seeding import seed_chat
from tutorial_site.exercises import check, exercises


@pytest.fixture(scope="module")
def chat(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The chat's seed, for the module, in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_chat()
        yield
        transaction.set_rollback(True)


def lobby() -> Any:
    return Message.objects.filter(room__name="lobby")


def test_06_1_is_registered() -> None:
    assert "06.1" in exercises()


def test_06_1_a_join_passes(chat: None, db: None) -> None:
    def joined() -> list:
        latest = lobby().select_related("author").order_by("-seq")[:10]
        return [(m.seq, m.author.username, m.body) for m in reversed(latest)]

    def values() -> list:
        return list(lobby().order_by("-seq").values_list("seq", "author__username", "body")[:10])[::-1]

    for answer in (joined, values):
        result = check("06.1", answer)
        assert result.passed, str(result)
        assert "10 messages, 1 query" in str(result)


@pytest.mark.profiler_allow("Message.author")  # the lazy answer, on purpose
def test_06_1_the_lazy_loop_fails_on_its_n_plus_one(chat: None, db: None) -> None:
    def lazy() -> list:
        return [(m.seq, m.author.username, m.body) for m in reversed(lobby().order_by("-seq")[:10])]

    result = check("06.1", lazy)
    assert result.status == "fail"
    assert "11 queries, target ≤ 1" in result.reason
    assert "an N+1" in result.reason
    assert "select_related('author')" in result.reason


def test_06_1_the_first_messages_fail_with_the_reason(chat: None, db: None) -> None:
    def first() -> list:
        return list(lobby().order_by("seq").values_list("seq", "author__username", "body")[:10])

    result = check("06.1", first)
    assert result.status == "fail"
    assert "the room's first messages" in result.reason


def test_06_1_newest_first_is_the_wrong_order(chat: None, db: None) -> None:
    result = check(
        "06.1", lambda: list(lobby().order_by("-seq").values_list("seq", "author__username", "body")[:10])
    )
    assert result.status == "fail"
    assert "wrong order" in result.reason


def test_06_1_not_answered_yet(chat: None, db: None) -> None:
    assert check("06.1", ...).status == "not yet"
