"""Who may join which room: room names, direct rooms created on first join, group rooms.

Every function here is synchronous ORM code: the consumer calls it through
``database_sync_to_async``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from . import protocol
from .models import Room


class RoomUnavailable(Exception):
    """The user may not join the room; ``close_code`` is what the websocket closes with."""

    close_code: protocol.Close = protocol.Close.NOT_FOUND


class RoomNotFound(RoomUnavailable):
    close_code = protocol.Close.NOT_FOUND


class NotAParticipant(RoomUnavailable):
    close_code = protocol.Close.FORBIDDEN


def is_direct(name: str) -> bool:
    """Whether ``name`` has the shape of a direct room (group room names never contain ``__``)."""
    return protocol.DIRECT_SEPARATOR in name


def direct_room_name(first: str, second: str) -> str:
    """The direct room of two usernames (in any order); ``ValueError`` when it cannot have one."""
    a, b = sorted([first, second])
    name = f"{a}{protocol.DIRECT_SEPARATOR}{b}"
    if a == b or not protocol.is_room_name(name) or protocol.direct_usernames(name) != (a, b):
        raise ValueError(
            f"{first!r} and {second!r} cannot have a direct room: it takes two different usernames "
            "made of a-z, 0-9, '-' and single '_' (the room name is at most 64 characters)."
        )
    return name


def find_room(name: str, user: AbstractBaseUser) -> Room | None:
    """The room ``name`` if ``user`` may join it, or None for their direct room not created yet.

    Raises :class:`RoomNotFound` for an invalid name, a direct room naming an unknown user and a
    group room that does not exist, :class:`NotAParticipant` when ``user`` may not join.
    Costs one query for an existing room.
    """
    if not protocol.is_room_name(name):
        raise RoomNotFound(name)
    member = Room.participants.through.objects.filter(room=OuterRef("pk"), user=user.pk)
    room = Room.objects.filter(name=name).annotate(is_member=Exists(member)).first()
    if room is not None:
        if not room.is_member:
            raise NotAParticipant(name)
        return room
    usernames = protocol.direct_usernames(name)
    if usernames is None or get_user_model().objects.filter(username__in=usernames).count() != 2:
        raise RoomNotFound(name)
    if user.get_username() not in usernames:
        raise NotAParticipant(name)
    return None


def open_room(name: str, user: AbstractBaseUser) -> Room:
    """The room ``name`` for ``user`` (see :func:`find_room`), creating a direct room on first join."""
    room = find_room(name, user)
    if room is not None:
        return room
    users = get_user_model().objects.filter(username__in=protocol.direct_usernames(name) or ())
    try:
        with transaction.atomic():
            room = Room.objects.create(name=name, kind=Room.Kind.DIRECT)
            room.participants.set(users)
    except IntegrityError:  # both users joined at once: the other one created it
        room = Room.objects.get(name=name)
    return room


def create_group_room(name: str, usernames: Iterable[str]) -> Room:
    """A group room ``name`` with these participants (``ValueError`` saying what is wrong).

    An existing group room gets these users added; a direct room name is refused.
    """
    if not protocol.is_room_name(name):
        raise ValueError(f"{name!r} is not a room name: use 1 to 64 characters among a-z, 0-9, '_' and '-'.")
    if is_direct(name):
        raise ValueError(f"{name!r} contains '__', which marks direct rooms (alice__bob): pick another name.")
    wanted = sorted(set(usernames))
    if not wanted:
        raise ValueError("A group room needs at least one participant (--users alice bob ...).")
    users = list(get_user_model().objects.filter(username__in=wanted))
    unknown = sorted(set(wanted) - {u.get_username() for u in users})
    if unknown:
        raise ValueError(f"No such user: {', '.join(unknown)}. Nothing was changed.")
    with transaction.atomic():
        room, _ = Room.objects.get_or_create(name=name, defaults={"kind": Room.Kind.GROUP})
        room.participants.add(*users)
    return room


def rooms_of(user: AbstractBaseUser) -> list[Room]:
    """The rooms ``user`` takes part in, most recently active first."""
    return list(Room.objects.filter(participants=user.pk).order_by("-last_seq", "name"))
