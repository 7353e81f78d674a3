"""The chat's part of ``manage.py seed``: demo users, their rooms and messages, always the same.

The demo users are for the lab only: ``alice``, ``bob`` and ``carol`` log in with the password
``<name>-demo`` (``alice-demo``) when DEBUG is on. With DEBUG off (production settings) they get
unusable passwords: nobody can log in as a demo user there.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from faker import Faker

from .models import Message, Room

DEMO_USERS = ("alice", "bob", "carol")
START = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def demo_password(username: str) -> str:
    """The lab-only password of a demo user: ``alice-demo``."""
    return f"{username}-demo"


@dataclass(frozen=True)
class SeedRoom:
    name: str
    kind: str
    participants: tuple[str, ...]
    messages: int  # at size "small"
    weights: tuple[int, ...]  # how chatty each participant is


ROOMS = (
    SeedRoom("lobby", Room.Kind.GROUP, ("alice", "bob", "carol"), 120, (5, 3, 2)),
    SeedRoom("alice__bob", Room.Kind.DIRECT, ("alice", "bob"), 80, (3, 2)),
    SeedRoom("book-club", Room.Kind.GROUP, ("alice", "carol"), 45, (1, 2)),
    SeedRoom("bob__carol", Room.Kind.DIRECT, ("bob", "carol"), 25, (1, 1)),
)
SCALE = {"small": 1, "medium": 4, "large": 20}
# Fixed lines: the first messages of the lobby, the last one showing that bodies are plain text.
OPENING = (
    ("alice", "Hello everyone! This room is the lab's chat demo."),
    ("bob", "Hi Alice. Every message here has a seq: 1, 2, 3, ... no gaps."),
    ("carol", "Is <b>bold</b> allowed here? Or <img src=x onerror=alert(1)>?"),
    ("alice", "No: bodies are plain text, shown exactly as typed."),
)


def seed_chat(
    using: str = "default", *, size: str = "small", seed: int = 0, replace: bool = False
) -> dict[str, int]:
    """Create the demo users, the seeded rooms and their messages; return the rows written.

    Nothing happens (an empty dict) when the seeded rooms exist, unless ``replace``: then they are
    deleted with their messages and made again. Rooms the users made themselves are kept.
    """
    names = [room.name for room in ROOMS]
    existing = Room.objects.using(using).filter(name__in=names)
    if existing.exists() and not replace:
        return {}
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    with transaction.atomic(using=using):
        existing.delete()
        users = {user.get_username(): user for user in _demo_users(using)}
        messages: list[Message] = []
        rooms: list[Room] = []
        memberships = []
        for spec in ROOMS:
            room = Room(name=spec.name, kind=spec.kind)
            lines = list(OPENING) if spec.name == "lobby" else []
            count = spec.messages * SCALE[size]
            while len(lines) < count:
                author = rng.choices(spec.participants, weights=spec.weights)[0]
                lines.append((author, fake.sentence(nb_words=rng.randint(3, 14))))
            if spec.name == "lobby":  # the plain-text lines stay on the first page of history
                lines = lines[len(OPENING) :] + lines[: len(OPENING)]
            room.last_seq = len(lines)
            room.save(using=using)
            memberships += [
                Room.participants.through(room=room, user=users[name]) for name in spec.participants
            ]
            created = START + datetime.timedelta(hours=rng.randint(0, 48))
            for seq, (author, body) in enumerate(lines, 1):
                created += datetime.timedelta(seconds=rng.randint(5, 1800))
                messages.append(Message(room=room, seq=seq, author=users[author], body=body, created=created))
            rooms.append(room)
        Room.participants.through.objects.using(using).bulk_create(memberships)
        Message.objects.using(using).bulk_create(messages, batch_size=1_000)
    return {"chat users": len(users), "chat rooms": len(rooms), "chat messages": len(messages)}


def _demo_users(using: str) -> Iterable[AbstractBaseUser]:
    model = get_user_model()
    for username in DEMO_USERS:
        user, _ = model.objects.using(using).get_or_create(username=username)
        user.email = f"{username}@example.com"
        if settings.DEBUG:
            user.set_password(demo_password(username))
        else:
            user.set_unusable_password()
        user.save(using=using)
        yield user
