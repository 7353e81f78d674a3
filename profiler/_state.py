"""State shared by the capture and the ORM hooks (no Django imports here).

``active_captures`` holds the captures open in the current thread or task; asgiref copies it into
``sync_to_async`` threads, so their statements are captured too, while unrelated threads see ``()``.

``loads`` maps a thread to the lazy relation or deferred field the ORM hooks are loading in it,
so each statement executed meanwhile can say which ``Model.field`` caused it. A lazy load runs
its statements synchronously in the thread that started it, so a thread is its scope. It is not
a context variable: setting one resets the cache of every context variable, and Django reads
some (its connections) several times per statement.
"""

from contextvars import ContextVar
from threading import get_ident
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotations only: this module imports nothing at run time
    from .capture import Capture
    from .nplusone import LazyLoad

active_captures: ContextVar[tuple["Capture", ...]] = ContextVar("profiler_active_captures", default=())
loads: dict[int, "LazyLoad"] = {}  # thread identifier -> the LazyLoad being loaded there


def current_load() -> "LazyLoad | None":
    """The lazy load whose statements the current thread is running, else None."""
    return loads.get(get_ident()) if loads else None


def begin_load(load: "LazyLoad") -> "LazyLoad | None":
    """Make ``load`` the current thread's lazy load; returns the one it replaces, for
    :func:`end_load`."""
    ident = get_ident()
    previous = loads.get(ident)
    loads[ident] = load
    return previous


def end_load(previous: "LazyLoad | None") -> None:
    """Restore the lazy load :func:`begin_load` replaced."""
    if previous is None:
        loads.pop(get_ident(), None)
    else:
        loads[get_ident()] = previous
