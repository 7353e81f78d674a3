"""``manage.py chat_room NAME --users alice bob ...``: create a group room, or add participants."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tutorial_site.chat.rooms import create_group_room


class Command(BaseCommand):
    help = "Create the group chat room NAME with these participants (an existing room gets them added)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="room name: 1 to 64 characters among a-z, 0-9, '_' and '-'")
        parser.add_argument("--users", nargs="+", required=True, metavar="USERNAME", help="participants")

    def handle(self, *args: Any, name: str, users: list[str], **options: Any) -> None:
        try:
            room = create_group_room(name, users)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        participants = ", ".join(room.participants.order_by("username").values_list("username", flat=True))
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(f"Room {room.name!r}: {participants}. Open /chat/{room.name}/")
            )
