"""Storing a message with its room's next ``seq``, and reading history: the chat's database work.

Synchronous ORM code (the consumer calls it through ``database_sync_to_async``). What leaves
here is already encoded as frames, so a message is serialised once, however many receive it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connections, transaction
from django.db.models import QuerySet

from . import protocol
from .models import Message, Room


def next_seq(room_id: int, using: str = "default") -> int:
    """Take the room's next ``seq``: one ``UPDATE ... RETURNING`` (PostgreSQL, SQLite >= 3.35).

    The UPDATE locks the room's row until the transaction ends, so concurrent senders, in any
    number of processes, get 1, 2, 3, ... in turn; a rolled-back transaction gives its number back.
    Call it inside ``transaction.atomic()``, together with the INSERT that uses the number.
    """
    connection = connections[using]
    table = connection.ops.quote_name(Room._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + 1 WHERE id = %s RETURNING last_seq", [room_id]
        )
        row = cursor.fetchone()
    if row is None:
        raise Room.DoesNotExist(f"No room with id {room_id}.")
    return int(row[0])


def post(room: Room, author_id: int, author: str, body: str, client_id: str | None) -> tuple[str, bool]:
    """Store a message and return ``(its message frame, encoded; whether it is new)``.

    A repeat of ``client_id`` by the same author in the same room is not stored again: the stored
    message comes back, with ``False``.
    """
    try:
        with transaction.atomic():
            seq = next_seq(room.pk)
            message = Message.objects.create(
                room_id=room.pk, seq=seq, author_id=author_id, body=body, client_id=client_id
            )
    except IntegrityError:
        if client_id is None:
            raise
        message = Message.objects.get(room_id=room.pk, author_id=author_id, client_id=client_id)
        return protocol.encode(_frame(room.name, message, author)), False
    return protocol.encode(_frame(room.name, message, author)), True


def _frame(room: str, message: Message, author: str) -> dict[str, Any]:
    return protocol.message(room, message.seq, author, message.body, message.created, message.client_id)


def message_frames(room: str, messages: Iterable[Message]) -> list[dict[str, Any]]:
    """``messages`` as ``message`` frames. Reads ``message.author``: load it with the messages
    (``select_related("author")``), or each message costs one more query."""
    return [_frame(room, m, m.author.get_username()) for m in messages]


def with_authors(room: Room) -> QuerySet[Message]:
    """The room's messages with their authors, in one query (a JOIN)."""
    return Message.objects.filter(room=room).select_related("author")


def latest(room: Room, limit: int = protocol.HISTORY_SIZE) -> tuple[list[dict[str, Any]], bool]:
    """The last ``limit`` messages, oldest first, and whether there are older ones."""
    rows = list(with_authors(room).order_by("-seq")[: limit + 1])
    return message_frames(room.name, reversed(rows[:limit])), len(rows) > limit


def after(room: Room, seq: int, limit: int = protocol.SINCE_LIMIT) -> tuple[list[dict[str, Any]], bool]:
    """The messages after ``seq``, oldest first, at most ``limit``, and whether more follow."""
    rows = list(with_authors(room).filter(seq__gt=seq).order_by("seq")[: limit + 1])
    return message_frames(room.name, rows[:limit]), len(rows) > limit


def last_seq(room: Room) -> int:
    """The room's current ``last_seq``, read from the database."""
    return int(Room.objects.filter(pk=room.pk).values_list("last_seq", flat=True).get())
