"""Which template line ran a statement: :class:`TemplateLines` notes it while the statement runs.

A lazy relation read in a template (``{{ entry.blog.name }}`` in a loop) runs its query deep inside
Django's template engine; the profiler's call site is then the view's ``render()`` line. While a
:class:`TemplateLines` block is open, each statement that loads a relation lazily is noted with the
template node being rendered: its template, line and tag, read from the node Django parsed
(``node.origin``, ``node.token``), so no template debug setting is needed.

    with profiler.capture() as queries, TemplateLines() as lines:
        client.get("/blog/entries/?strategy=lazy")
    where = lines.for_queries(queries)        # {id(query): TemplateLine}
"""

from collections import deque
from collections.abc import Callable, Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from sys import _getframe
from types import FrameType
from typing import Any

from profiler import _state
from profiler.records import Query

_current: ContextVar["TemplateLines | None"] = ContextVar("profiler_template_lines", default=None)
_render_code: Any = None  # django.template.base.Node.render_annotated's code object


@dataclass(frozen=True)
class TemplateLine:
    """A line of a Django template: ``blog/entry_list.html:23 {{ entry.blog.name }}``."""

    template: str
    line: int
    source: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line} {self.source}"


def template_line_of(node: Any) -> TemplateLine | None:
    """The template line a parsed template node came from (``None`` when it does not say)."""
    token, origin = getattr(node, "token", None), getattr(node, "origin", None)
    if token is None or origin is None:
        return None
    from django.template.base import TokenType

    contents = token.contents
    if token.token_type is TokenType.VAR:
        source = f"{{{{ {contents} }}}}"
    elif token.token_type is TokenType.BLOCK:
        source = f"{{% {contents} %}}"
    else:
        source = contents.strip()
    name = getattr(origin, "template_name", None) or origin.name
    return TemplateLine(str(name), int(token.lineno), source)


def rendering_line(frame: FrameType | None) -> TemplateLine | None:
    """The template line Django is rendering at ``frame`` or below it on the stack, if any."""
    render_code = _render_code
    while frame is not None:
        if frame.f_code is render_code:
            return template_line_of(frame.f_locals.get("self"))
        frame = frame.f_back
    return None


def _note(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """The execute wrapper: a pass-through, which notes lazy loads while a block is open."""
    lines = _current.get()
    if lines is not None and _state.current_load() is not None:
        lines._noted.setdefault(id(sql), deque()).append((sql, rendering_line(_getframe(1))))
    return execute(sql, params, many, context)


def install_on_connections() -> None:
    """Put the wrapper on this thread's connections of every alias (once per connection).

    Connections belong to a thread: under ASGI, call it in the thread that runs the views as well
    (``sync_to_async(install_on_connections)()``).
    """
    global _render_code
    from django.db import connections
    from django.template.base import Node

    _render_code = Node.render_annotated.__code__
    for connection in connections.all():
        if _note not in connection.execute_wrappers:
            connection.execute_wrappers.append(_note)


class TemplateLines:
    """While open (in this thread or task, and the ``sync_to_async`` work it starts), note the
    template line of each statement that loads a relation lazily."""

    def __init__(self) -> None:
        self._noted: dict[int, deque[tuple[str, TemplateLine | None]]] = {}
        self._tokens: list[Token[TemplateLines | None]] = []

    def __enter__(self) -> "TemplateLines":
        install_on_connections()
        self._tokens.append(_current.set(self))
        return self

    def __exit__(self, *exc_info: object) -> None:
        _current.reset(self._tokens.pop())

    @property
    def active(self) -> bool:
        """Whether the block is open (statements are being noted)."""
        return bool(self._tokens)

    def for_queries(self, queries: Iterable[Query]) -> dict[int, TemplateLine]:
        """``{id(query): its template line}`` for the captured statements that have one.

        A statement is recognised by its SQL text object, which Django hands unchanged to every
        execute wrapper; statements of the same text are matched in execution order.
        """
        pending = {key: deque(entries) for key, entries in self._noted.items()}
        found: dict[int, TemplateLine] = {}
        for query in queries:
            entries = pending.get(id(query.sql))
            if entries and entries[0][0] is query.sql:
                line = entries.popleft()[1]
                if line is not None:
                    found[id(query)] = line
        return found
