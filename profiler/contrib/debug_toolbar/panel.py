"""The toolbar panel: :class:`ORMFindingsPanel`.

While the toolbar instruments a request, a :func:`profiler.capture` and a
:class:`~.template_lines.TemplateLines` are open; :meth:`generate_stats` turns them into the
JSON stats of :func:`~.stats.orm_findings`, which the toolbar stores and the panel's template
shows (also for requests picked from the toolbar's history).
"""

from functools import cache
from pathlib import Path
from typing import Any

from asgiref.sync import sync_to_async
from debug_toolbar.panels import Panel
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import Context, Engine

from profiler.capture import Capture, capture

from .stats import for_display, orm_findings
from .template_lines import TemplateLines, install_on_connections

TEMPLATE = "profiler/debug_toolbar/orm_findings.html"


@cache
def _engine() -> Engine:
    """A template engine of the panel's own: the project needs no INSTALLED_APPS entry for it."""
    return Engine(dirs=[str(Path(__file__).parent / "templates")], autoescape=True)


class ORMFindingsPanel(Panel):
    """N+1 queries (with the view and template lines, and the fix), unused eager loads, duplicate
    statements, and the statements per database alias of the request."""

    is_async = True
    title = "ORM findings"
    nav_title = "ORM findings"
    template = TEMPLATE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._capture: Capture | None = None
        self._lines: TemplateLines | None = None

    def _stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.get_stats()  # type: ignore[no-untyped-call]  # the toolbar's
        return stats

    @property
    def nav_subtitle(self) -> str:
        stats = self._stats()
        if not stats:
            return ""
        found = len(stats["n_plus_one"])
        parts = [f"{found} N+1" if found else "no N+1"]
        if stats["unused_eager_loads"]:
            parts.append(f"{len(stats['unused_eager_loads'])} unused")
        if stats["duplicate_statements"]:
            parts.append(f"{stats['duplicate_statements']} duplicates")
        return ", ".join(parts)

    @property
    def content(self) -> str:
        return str(_engine().get_template(TEMPLATE).render(Context(for_display(self._stats()))))

    def enable_instrumentation(self) -> None:
        self._open()

    async def aenable_instrumentation(self) -> None:
        # Views run in asgiref's thread: its connections need the template-line wrapper too.
        await sync_to_async(install_on_connections)()
        self._open()

    def _open(self) -> None:
        if self._capture is not None:
            return
        self._lines = TemplateLines().__enter__()
        self._capture = capture(stacks=False).__enter__()

    def disable_instrumentation(self) -> None:
        if self._capture is not None and self._capture.active:
            self._capture.__exit__(None, None, None)
        if self._lines is not None and self._lines.active:
            self._lines.__exit__(None, None, None)

    def generate_stats(self, request: HttpRequest, response: HttpResponse) -> None:
        if self._capture is None:
            return
        lines = self._lines.for_queries(self._capture) if self._lines is not None else {}
        self.record_stats(  # type: ignore[no-untyped-call]
            orm_findings(self._capture, lines, aliases=settings.DATABASES)
        )
