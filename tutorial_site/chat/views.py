"""The chat's pages: ``/chat/`` (your rooms, start a direct chat) and ``/chat/<room>/``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Max
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from . import protocol, rooms
from .models import Room


class DirectChatForm(forms.Form):
    """Start (or reopen) the direct room with another user."""

    username = forms.CharField(label="Chat with", max_length=150)

    def __init__(self, data: QueryDict | None = None, *, user: AbstractBaseUser) -> None:
        super().__init__(data)
        self.user = user
        self.room_name = ""

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        me = self.user.get_username()
        if username == me:
            raise forms.ValidationError("That is you: pick someone else.")
        if not get_user_model().objects.filter(username=username, is_active=True).exists():
            raise forms.ValidationError(f"There is no user {username!r}.")
        try:
            self.room_name = rooms.direct_room_name(me, username)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return username


@login_required
def index(request: HttpRequest) -> HttpResponse:
    form = DirectChatForm(request.GET or None, user=request.user)
    if form.is_valid():
        return redirect("chat:room", room=form.room_name)
    my_rooms = (
        Room.objects.filter(participants=request.user.pk)
        .annotate(last_message=Max("messages__created"))
        .order_by(F("last_message").desc(nulls_last=True), "name")
    )
    others = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(pk=request.user.pk)
        .order_by("username")
        .values_list("username", flat=True)[:200]
    )
    return render(request, "chat/index.html", {"rooms": my_rooms, "form": form, "others": others})


@login_required
def room(request: HttpRequest, room: str) -> HttpResponse:
    try:
        rooms.find_room(room, request.user)
    except rooms.NotAParticipant:
        return render(request, "chat/unavailable.html", {"room": room, "reason": "forbidden"}, status=403)
    except rooms.RoomNotFound:
        return render(request, "chat/unavailable.html", {"room": room, "reason": "not_found"}, status=404)
    config = {
        "room": room,
        "user": request.user.get_username(),
        "socket": f"/ws/chat/{room}/",
        "api": reverse("chat:messages", kwargs={"room": room}),
        "maxBody": protocol.MAX_BODY,
        "loginUrl": f"{reverse('login')}?{urlencode({'next': request.path})}",
    }
    return render(request, "chat/room.html", {"room": room, "config": config})
