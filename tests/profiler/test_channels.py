"""Channels consumers: ``database_sync_to_async`` work inside a capture is captured.

Driven by a real websocket client (channels.testing.WebsocketCommunicator). Like a real ASGI server,
the communicator runs the consumer in a task with an empty context: a connection's work belongs to
that connection, so a capture opened by the test itself does not see it (an unrelated task), while a
capture opened inside the consumer sees every statement of its ``database_sync_to_async`` calls.
"""

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.testing import WebsocketCommunicator

import profiler
from tutorial_site.blog.models import Blog, Entry


class BlogCountConsumer(AsyncJsonWebsocketConsumer):
    """Answers each message with the blog's entry count, and what the profiler saw meanwhile."""

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        with profiler.capture() as captured:
            entries = await self.count(content["blog"])
        await self.send_json(
            {
                "entries": entries,
                "queries": [q.sql for q in captured],
                "params": [list(q.params) for q in captured],
                "origins": [q.origin.function if q.origin else None for q in captured],
            }
        )

    @database_sync_to_async
    def count(self, name: str) -> int:
        return Entry.objects.filter(blog__name=name).count()


async def _ask(names: list[str]) -> list[dict[str, Any]]:
    communicator = WebsocketCommunicator(BlogCountConsumer.as_asgi(), "/ws/blogs/")
    connected, _ = await communicator.connect()
    assert connected
    answers = []
    for name in names:
        await communicator.send_json_to({"blog": name})
        answers.append(await communicator.receive_json_from(timeout=5))
    await communicator.disconnect()
    return answers


@pytest.mark.django_db(transaction=True)
def test_database_sync_to_async_work_inside_a_consumer_capture_is_captured() -> None:
    Blog.objects.create(name="Socket Blog", tagline="")
    first, second = async_to_sync(_ask)(["Socket Blog", "Nobody's Blog"])
    assert first["entries"] == second["entries"] == 0
    for answer, name in ((first, "Socket Blog"), (second, "Nobody's Blog")):
        assert len(answer["queries"]) == 1
        assert "COUNT" in answer["queries"][0].upper()
        assert answer["params"][0][-1] == name
        assert answer["origins"] == ["count"]  # the consumer's own method, not channels or asgiref


@pytest.mark.django_db(transaction=True)
def test_a_capture_in_the_test_does_not_see_another_connections_task() -> None:
    with profiler.capture() as captured:
        answers = async_to_sync(_ask)(["Late Blog"])
        Blog.objects.exists()  # the test's own statement
    assert answers[0]["entries"] == 0
    assert len(answers[0]["queries"]) == 1
    assert [q.kind for q in captured] == ["SELECT"]
    assert "LIMIT 1" in captured[0].sql.upper()
