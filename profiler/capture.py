"""The :class:`Capture` context manager: every statement Django executes inside the block."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from sys import _getframe
from threading import get_ident as _get_ident
from time import perf_counter
from types import MethodType
from typing import TYPE_CHECKING, Any

from . import _state
from .errors import ProfilerError
from .records import NO_BOUNDARY, Boundary, Query, caller_user_frames, stack_boundary
from .request_spans import RequestSpans

if TYPE_CHECKING:
    from contextvars import Token

    from .eager import EagerLoad, UnusedEagerLoad
    from .nplusone import Finding

_installed = False
_CURSOR = "_cursor"  # the BaseDatabaseWrapper method every statement's cursor comes from
_active_get = _state.active_captures.get
_loads = _state.loads


def _dispatch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    """The execute_wrapper on every connection: a pass-through unless a capture is open."""
    captures = _active_get()
    if not captures:
        return execute(sql, params, many, context)
    alias = context["connection"].alias
    targets: tuple[Capture, ...]
    if len(captures) == 1:  # the common case, kept cheap
        capture = captures[0]
        if capture._aliases is not None and alias not in capture._aliases:
            return execute(sql, params, many, context)
        targets = captures
        stacks = capture.stacks
    else:
        targets = tuple(c for c in captures if c._aliases is None or alias in c._aliases)
        if not targets:
            return execute(sql, params, many, context)
        stacks = any(c.stacks for c in targets)
    if many and not isinstance(params, Sequence):
        params = list(params)  # keep a copy of a one-shot iterator of parameter rows
    error: BaseException | None = None
    start = perf_counter()
    try:
        return execute(sql, params, many, context)
    except BaseException as exc:
        error = exc
        raise
    finally:
        duration = perf_counter() - start
        load = _loads.get(_get_ident()) if _loads else None  # _state.current_load(), inlined
        # A plain list, made into a Query only when the capture is read: building it here would
        # run a Python __init__ for every statement. Nested captures share the one list.
        record = [
            sql,
            params,
            alias,
            duration,
            many,
            error,
            # from 2: the caller, Django's _execute_with_wrappers, is library code
            caller_user_frames(2, stacks, captures[-1]._boundaries[-1], load),
            load,
            None,  # the Query, once made
        ]
        for capture in targets:
            capture._raw.append(record)


def _add_dispatch(connection: Any) -> None:
    wrappers = connection.execute_wrappers
    if _dispatch not in wrappers:
        # Outermost, so that other code's ``with connection.execute_wrapper(...)`` pops its own.
        wrappers.insert(0, _dispatch)


def _install() -> None:
    """Put the dispatch wrapper on every connection of every thread, existing or future (once).

    Connections are per thread, and those of other threads cannot be listed, so the wrapper is
    added when a connection opens its first cursor: every statement Django executes needs one.
    The connection then gets the plain ``_cursor`` as an attribute of its own, so later
    statements pay nothing for the check.
    """
    global _installed
    if _installed:
        return
    from django.db import connections
    from django.db.backends.base.base import BaseDatabaseWrapper

    # ``_cursor`` is private to Django (not in django-stubs), so it is read and set by name.
    original: Callable[[BaseDatabaseWrapper, str | None], Any] = getattr(BaseDatabaseWrapper, _CURSOR)

    def _cursor(self: BaseDatabaseWrapper, name: str | None = None) -> Any:
        if _dispatch not in self.execute_wrappers:
            _add_dispatch(self)
        if getattr(type(self), _CURSOR) is _cursor:  # not overridden by a backend, which may call super()
            setattr(self, _CURSOR, MethodType(original, self))
        return original(self, name)

    setattr(BaseDatabaseWrapper, _CURSOR, _cursor)
    for connection in connections.all(initialized_only=True):
        _add_dispatch(connection)
    from django.core.signals import request_finished, request_started

    from . import hooks

    hooks.install()
    request_started.connect(_request_started, dispatch_uid="profiler.capture.request_started")
    request_finished.connect(_request_finished, dispatch_uid="profiler.capture.request_finished")
    _installed = True


def _request_started(**kwargs: Any) -> None:
    """Django began a request: each open capture notes where (for per-request N+1 analysis)."""
    for capture in _active_get():
        capture._requests.started(len(capture._raw))


def _request_finished(**kwargs: Any) -> None:
    for capture in _active_get():
        capture._requests.finished(len(capture._raw))


def _require_django() -> list[str]:
    from django.apps import apps
    from django.conf import settings

    if not settings.configured or not apps.ready:
        raise ProfilerError(
            "Django is not set up yet. Set DJANGO_SETTINGS_MODULE and call django.setup() first "
            "(in this project's notebooks: `from tutorial_site.notebook import setup; setup()`; "
            "in tests: use pytest-django)."
        )
    return list(settings.DATABASES)


def resolve_aliases(using: str | Iterable[str] | None) -> frozenset[str] | None:
    """``None`` for every alias, else the named ones, checked against settings.DATABASES."""
    configured = _require_django()
    if using is None:
        return None
    names = [using] if isinstance(using, str) else list(using)
    unknown = [name for name in names if name not in configured]
    if unknown or not names:
        raise ProfilerError(
            f"Unknown database alias {', '.join(map(repr, unknown)) or '(none given)'}: "
            f"the configured aliases are {', '.join(map(repr, configured))}."
        )
    return frozenset(names)


class Capture:
    """The statements executed while the block ran, in order.

    Use :func:`capture` to make one. Iterating gives :class:`~profiler.records.Query` records.
    """

    def __init__(self, using: str | Iterable[str] | None = None, *, stacks: bool = True) -> None:
        self._aliases = resolve_aliases(using)
        self.stacks = stacks
        self._raw: list[list[Any]] = []  # appended to by _dispatch, one entry per statement
        self._made: list[Query] = []  # the entries of _raw made into Query records so far
        self._eager_loads: list[EagerLoad] = []  # filled by profiler.hooks while the block runs
        self._tokens: list[Token[tuple[Capture, ...]]] = []
        self._boundaries: list[Boundary] = []  # per entry: the frame of the block and what is above it
        self._requests = RequestSpans()  # where each HTTP request began and ended among _raw
        self.active = False

    # -- context manager -------------------------------------------------------------------
    def __enter__(self) -> "Capture":
        _install()
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            _add_dispatch(connection)
        self._boundaries.append(stack_boundary(_getframe(1)) if self.stacks else NO_BOUNDARY)
        self._tokens.append(_state.active_captures.set((*_state.active_captures.get(), self)))
        self.active = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        _state.active_captures.reset(self._tokens.pop())
        self._boundaries.pop()
        self.active = bool(self._tokens)

    # -- the records -----------------------------------------------------------------------
    @property
    def _records(self) -> list[Query]:
        made, raw = self._made, self._raw
        if len(made) < len(raw):
            made.extend(map(Query.from_entry, raw[len(made) :]))
        return made

    @property
    def queries(self) -> list[Query]:
        """The records, in execution order (a copy)."""
        return list(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Query]:
        return iter(list(self._records))

    def __getitem__(self, index: int) -> Query:
        return self._records[index]

    def __bool__(self) -> bool:
        return True

    @property
    def total_time(self) -> float:
        """Seconds spent in the database, summed over the statements."""
        return sum(q.duration for q in self._records)

    @property
    def errors(self) -> list[Query]:
        return [q for q in self._records if q.error is not None]

    def by_alias(self) -> dict[str, list[Query]]:
        """The records grouped by database alias."""
        groups: dict[str, list[Query]] = defaultdict(list)
        for query in self._records:
            groups[query.alias].append(query)
        return dict(groups)

    def duplicates(self) -> list[list[Query]]:
        """Groups (2 or more) of statements with the same SQL and the same parameters."""
        groups: dict[tuple[str, str, str], list[Query]] = defaultdict(list)
        for query in self._records:
            groups[(query.alias, query.sql, repr(query.params))].append(query)
        return [group for group in groups.values() if len(group) > 1]

    def similar(self) -> list[list[Query]]:
        """Groups (2 or more) of statements with the same fingerprint (parameters may differ)."""
        groups: dict[tuple[str, str], list[Query]] = defaultdict(list)
        for query in self._records:
            groups[(query.alias, query.fingerprint)].append(query)
        return [group for group in groups.values() if len(group) > 1]

    def n_plus_one(self, threshold: int = 2) -> "list[Finding]":
        """N+1 findings: lazy loads repeated ``threshold`` times or more at one call site within one
        HTTP request (or outside any), each with its fix."""
        from .nplusone import find_n_plus_one

        records = self._records
        return find_n_plus_one(records, threshold=threshold, requests=self._requests.numbers(len(records)))

    def unused_eager_loads(self) -> "list[UnusedEagerLoad]":
        """``select_related``/``prefetch_related`` paths loaded inside the block but never read."""
        from .eager import find_unused

        return find_unused(self)

    def explain(self, query: "Query | int", *, analyze: bool = False) -> str:
        """The database's plan for one captured SELECT (by record or index); never runs a write."""
        from .explain import explain

        return explain(self._records[query] if isinstance(query, int) else query, analyze=analyze)

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per statement."""
        from .render.frame import to_frame

        return to_frame(self._records)

    def __str__(self) -> str:
        from .render.text import render_capture

        return render_capture(self)

    def __repr__(self) -> str:
        return f"<Capture {len(self)} queries, {self.total_time * 1000:.1f} ms>"

    def _repr_html_(self) -> str:
        from .render.html import render_capture

        return render_capture(self)


def capture(using: str | Iterable[str] | None = None, *, stacks: bool = True) -> Capture:
    """Capture every statement Django executes in the block, on every alias or those in ``using``.

    Covers the current thread or task, and ``sync_to_async`` work started inside the block; not
    unrelated threads. Captures nest. ``stacks=False`` records only each statement's call site.
    """
    return Capture(using, stacks=stacks)
