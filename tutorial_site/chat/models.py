"""Rooms, their messages numbered 1, 2, 3, ... per room, and who is connected to which room."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from . import protocol

room_name_validator = RegexValidator(
    rf"\A{protocol.ROOM_NAME.pattern}\Z",
    "A room name is 1 to 64 characters among a-z, 0-9, '_' and '-'.",
)


class Room(models.Model):
    """A direct room (``alice__bob``, its two users) or a group room (its participants).

    ``last_seq`` is the ``seq`` of the room's latest message: a new message takes ``last_seq + 1``
    in the same transaction that stores it, so ``seq`` has no gaps and no repeats.
    """

    class Kind(models.TextChoices):
        DIRECT = "direct", "direct (two users)"
        GROUP = "group", "group"

    name = models.CharField(max_length=64, unique=True, validators=[room_name_validator])
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.GROUP)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="chat_rooms")
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        direct = protocol.DIRECT_SEPARATOR in self.name
        if direct and self.kind != self.Kind.DIRECT:
            raise ValidationError(
                {"name": "Names with '__' are direct rooms (alice__bob): pick another name."}
            )
        if self.kind == self.Kind.DIRECT and protocol.direct_usernames(self.name) is None:
            raise ValidationError({"name": "A direct room is named after its two users, sorted: alice__bob."})


class Message(models.Model):
    """One message of a room. ``body`` is plain text, stored exactly as typed.

    The unique ``(room, seq)`` index serves both history queries: the latest N
    (``ORDER BY seq DESC LIMIT N``) and everything after a seq (``seq > n ORDER BY seq``).
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages"
    )
    body = models.TextField(max_length=protocol.MAX_BODY)
    created = models.DateTimeField(default=timezone.now)
    # The sender's id for the message: a repeat (same author, room and client_id) is stored once.
    client_id = models.CharField(max_length=protocol.MAX_CLIENT_ID, null=True, blank=True)  # noqa: DJ001

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chat_message_room_seq"),
            models.UniqueConstraint(fields=["room", "author", "client_id"], name="chat_message_client_id"),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}#{self.seq}"


class Presence(models.Model):
    """One open websocket in a room. Rows of a server that died expire after a minute."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    expires = models.DateTimeField()

    class Meta:
        verbose_name_plural = "presences"

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id}"
