"""Exercises of notebook 06 (the chat: the history query)."""

from tutorial_site.chat.models import Message

from .core import Exercise, register


def lobby_tail_reference() -> list[tuple[int, str, str]]:
    """The lobby's last 10 messages, oldest first: (seq, author's username, body)."""
    latest = Message.objects.filter(room__name="lobby").select_related("author").order_by("-seq")[:10]
    return [(m.seq, m.author.username, m.body) for m in reversed(latest)]


def _first_ten(got: list, expected: list) -> str | None:
    if got and all(isinstance(row, tuple) and len(row) == 3 for row in got) and got[0][0] == 1:
        return "these are the room's first messages: order by -seq, take 10, then put them back oldest first"
    return None


register(
    Exercise(
        id="06.1",
        title="The lobby's last 10 messages, oldest first, in one query",
        reference=lobby_tail_reference,
        max_queries=1,
        noun="messages",
        ordered=True,
        diagnoses=(_first_ten,),
        budget_hint=(
            "load each author with its message: select_related('author') "
            "(or values_list('seq', 'author__username', 'body'))"
        ),
    )
)
