"""Storing a message with its room's next ``seq``, and reading history: the chat's database work.

Synchronous ORM code (the consumer calls it through ``database_sync_to_async``). What leaves
here is already encoded as frames, so a message is serialised once, however many receive it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connections, transaction
from django.db.models import QuerySet

from . import protocol
from .models import Message, Room


def next_seq(room_id: int, count: int = 1, using: str = "default") -> int:
    """Take the room's next ``count`` seqs, return the last: one ``UPDATE ... RETURNING``
    (PostgreSQL, SQLite >= 3.35).

    The UPDATE locks the room's row until the transaction ends, so concurrent senders, in any
    number of processes, get 1, 2, 3, ... in turn; a rolled-back transaction gives its number back.
    Call it inside ``transaction.atomic()``, together with the INSERT that uses the number.
    """
    connection = connections[using]
    table = connection.ops.quote_name(Room._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + %s WHERE id = %s RETURNING last_seq", [count, room_id]
        )
        row = cursor.fetchone()
    if row is None:
        raise Room.DoesNotExist(f"No room with id {room_id}.")
    return int(row[0])


@dataclass(frozen=True)
class NewMessage:
    """A message to store: its room, its author (the authenticated user) and what they sent."""

    room_id: int
    room: str
    author_id: int
    author: str
    body: str
    client_id: str | None

    @property
    def key(self) -> tuple[int, int, str | None]:
        """What makes a repeat: the same room, author and client_id."""
        return (self.room_id, self.author_id, self.client_id)


@dataclass(frozen=True)
class Stored:
    """A stored message's frame, encoded, and whether it is new (False: a repeated client_id)."""

    text: str
    new: bool


def post(message: NewMessage) -> Stored:
    """Store one message with its room's next seq (see :func:`post_many` for several at once).

    A repeat of ``client_id`` by the same author in the same room is not stored again: the stored
    message comes back, with ``new=False``.
    """
    try:
        with transaction.atomic():
            seq = next_seq(message.room_id)
            row = Message.objects.create(
                room_id=message.room_id,
                seq=seq,
                author_id=message.author_id,
                body=message.body,
                client_id=message.client_id,
            )
    except IntegrityError:
        if message.client_id is None:
            raise
        row = Message.objects.get(
            room_id=message.room_id, author_id=message.author_id, client_id=message.client_id
        )
        return Stored(protocol.encode(_frame(message.room, row, message.author)), new=False)
    return Stored(protocol.encode(_frame(message.room, row, message.author)), new=True)


def post_many(messages: Sequence[NewMessage]) -> list[Stored]:
    """Store ``messages`` in one transaction: one UPDATE per room for their seqs, one INSERT.

    Each room's messages take consecutive seqs in the order given. Repeated client_ids (already
    stored, or twice in ``messages``) come back as stored, ``new=False``. If another process
    stores a repeat at the same moment, the messages are stored one by one instead.
    """
    if len(messages) == 1:
        return [post(messages[0])]
    try:
        with transaction.atomic():
            return _post_many(messages)
    except IntegrityError:
        return [post(message) for message in messages]


def _post_many(messages: Sequence[NewMessage]) -> list[Stored]:
    stored = _stored_repeats(messages)
    fresh: list[NewMessage] = []
    for message in messages:
        if message.client_id is None or message.key not in stored:
            fresh.append(message)
            if message.client_id is not None:
                stored[message.key] = None  # a second one in this batch is a repeat of this one
    per_room: dict[int, list[NewMessage]] = {}
    for message in fresh:
        per_room.setdefault(message.room_id, []).append(message)
    rows: dict[int, Message] = {}  # id(NewMessage) -> its row
    for room_id in sorted(per_room):  # rooms locked in one order: two processes never deadlock
        batch = per_room[room_id]
        last = next_seq(room_id, count=len(batch))
        for seq, message in enumerate(batch, last - len(batch) + 1):
            rows[id(message)] = Message(
                room_id=room_id,
                seq=seq,
                author_id=message.author_id,
                body=message.body,
                client_id=message.client_id,
            )
    Message.objects.bulk_create(rows.values())
    for message in fresh:
        if message.client_id is not None:
            stored[message.key] = rows[id(message)]
    results = []
    for message in messages:
        row = rows.get(id(message)) or stored[message.key]
        assert row is not None
        frame = _frame(message.room, row, message.author)
        results.append(Stored(protocol.encode(frame), new=id(message) in rows))
    return results


def _stored_repeats(messages: Sequence[NewMessage]) -> dict[tuple[int, int, str | None], Message | None]:
    """The stored messages with the same room, author and client_id as one of ``messages``."""
    keys = {m.key for m in messages if m.client_id is not None}
    if not keys:
        return {}
    candidates = Message.objects.filter(room_id__in={k[0] for k in keys}, client_id__in={k[2] for k in keys})
    return {
        (m.room_id, m.author_id, m.client_id): m
        for m in candidates
        if (m.room_id, m.author_id, m.client_id) in keys
    }


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
