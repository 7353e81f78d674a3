"""Who is connected to a room, across every server process: one database row per open websocket.

A row lives for :data:`TTL`; its connection renews it every :data:`RENEW_EVERY`, so the rows of a
server that died without saying goodbye disappear on their own.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Presence

TTL = datetime.timedelta(seconds=60)
RENEW_EVERY = 20.0  # seconds


def enter(room_id: int, user_id: int, channel_name: str) -> list[str]:
    """Record a connection of ``user_id`` to the room; the usernames now present, sorted."""
    now = timezone.now()
    Presence.objects.filter(room_id=room_id, expires__lte=now).delete()
    Presence.objects.create(room_id=room_id, user_id=user_id, channel_name=channel_name, expires=now + TTL)
    return present(room_id)


def renew(channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).update(expires=timezone.now() + TTL)


def leave(room_id: int, channel_name: str) -> list[str]:
    """Forget a connection; the usernames still present, sorted."""
    Presence.objects.filter(channel_name=channel_name).delete()
    return present(room_id)


def present(room_id: int) -> list[str]:
    """The usernames with an open connection to the room, sorted, each once."""
    rows = Presence.objects.filter(room_id=room_id, expires__gt=timezone.now())
    return sorted(set(rows.values_list("user__username", flat=True)))
