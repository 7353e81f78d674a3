from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Message, Presence, Room


class MessageInline(admin.TabularInline):
    model = Message
    fields = ["seq", "author", "body", "created"]
    readonly_fields = fields
    ordering = ["-seq"]
    extra = 0
    max_num = 0  # messages are written through the chat, with their seq
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Message]:
        return super().get_queryset(request).select_related("author")


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "last_seq", "created"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["participants"]
    readonly_fields = ["last_seq", "created"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["room", "seq", "author", "short_body", "created"]
    list_select_related = ["room", "author"]
    list_filter = ["room__kind"]
    search_fields = ["body", "room__name", "author__username"]
    readonly_fields = ["room", "seq", "author", "created", "client_id"]
    date_hierarchy = "created"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a message takes its room's next seq: post it through the chat

    @admin.display(description="body")
    def short_body(self, message: Message) -> str:
        return message.body if len(message.body) <= 60 else message.body[:57] + "..."


@admin.register(Presence)
class PresenceAdmin(admin.ModelAdmin):
    list_display = ["room", "user", "expires"]
    list_select_related = ["room", "user"]
