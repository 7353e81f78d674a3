"""The history API: ``GET /api/rooms/<room>/messages/?before=<seq>`` or ``?after=<seq>``.

Django REST framework, authenticated by the session or ``Authorization: Bearer <access JWT>``
(``POST /api/token/`` gives one). 401 for an anonymous request, 404 for a room that does not
exist, 403 for a room the user does not take part in: never its messages.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from . import rooms
from .models import Message, Room


class AuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username"]
        read_only_fields = fields


class MessageSerializer(serializers.ModelSerializer):
    """A stored message; the author is nested and read-only (it is always the authenticated user)."""

    author = AuthorSerializer(read_only=True)
    room = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Message
        fields = ["room", "seq", "author", "body", "created", "client_id"]
        read_only_fields = fields


class SeqPagination(BasePagination):
    """Pages of 50 messages keyed on ``seq``, oldest first within a page.

    No parameter: the latest page. ``?before=n``: the 50 messages before seq n. ``?after=n``: the
    50 messages after seq n. ``previous`` links to older messages, ``next`` to newer ones, or null.
    A room's seq runs 1, 2, 3, ... without gaps, which tells whether a neighbour page exists.
    """

    page_size = 50

    def paginate_queryset(
        self, queryset: QuerySet[Message], request: Request, view: Any = None
    ) -> list[Message]:
        self.request = request
        before, after = self._param(request, "before"), self._param(request, "after")
        if before is not None and after is not None:
            raise ValidationError({"detail": "Use either ?before= or ?after=, not both."})
        room: Room | None = getattr(view, "room", None)
        last_seq = room.last_seq if room is not None else 0
        if after is not None:
            rows = list(queryset.filter(seq__gt=after).order_by("seq")[: self.page_size + 1])
            has_newer = len(rows) > self.page_size
            page = rows[: self.page_size]
        else:
            if before is not None:
                queryset = queryset.filter(seq__lt=before)
            rows = list(queryset.order_by("-seq")[: self.page_size + 1])
            page = rows[: self.page_size][::-1]
            has_newer = bool(page) and page[-1].seq < last_seq
        self.older = page[0].seq if page and page[0].seq > 1 else None
        self.newer = page[-1].seq if has_newer else None
        return page

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "next": self._link("after", self.newer),
                "previous": self._link("before", self.older),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {"type": "object", "properties": {"next": link, "previous": link, "results": schema}}

    def _link(self, param: str, seq: int | None) -> str | None:
        if seq is None:
            return None
        url = self.request.build_absolute_uri()
        url = remove_query_param(url, "before" if param == "after" else "after")
        return replace_query_param(url, param, seq)

    @staticmethod
    def _param(request: Request, name: str) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        if not (raw.isascii() and raw.isdigit()):
            raise ValidationError({name: f"Must be a seq, a whole number >= 0; got {raw[:40]!r}."})
        return int(raw)


class RoomMessages(generics.ListAPIView):
    """The messages of a room the user takes part in, a page at a time."""

    serializer_class = MessageSerializer
    pagination_class = SeqPagination
    room: Room | None = None

    def get_queryset(self) -> QuerySet[Message]:
        try:
            self.room = rooms.find_room(self.kwargs["room"], self.request.user)
        except rooms.RoomNotFound:
            raise NotFound(f"There is no room {self.kwargs['room'][:64]!r}.") from None
        except rooms.NotAParticipant:
            raise PermissionDenied("You do not take part in this room.") from None
        if self.room is None:  # a direct room of this user, not created yet: no messages
            return Message.objects.none()
        return Message.objects.filter(room=self.room).select_related("author", "room")
