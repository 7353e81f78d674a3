"""Unused eager loads: ``select_related``/``prefetch_related`` paths loaded but never read.

While a capture is open, :mod:`profiler.hooks` records an :class:`EagerLoad` for every evaluated
queryset that has ``select_related(...)`` or ``prefetch_related(...)``, tags the instances it
produced, and marks a path used when a relation descriptor is read on such an instance (reading
``book.author.hometown`` marks ``author`` and ``author__hometown``).

Limits, by design: reads must happen while the capture is open; querysets consumed with
``.iterator()`` and the ``prefetch_related_objects()`` function are not tracked; a ``Prefetch``
with ``to_attr`` fills a plain attribute whose reads cannot be seen, so it is never reported
(listed in :attr:`EagerLoad.untracked`); an evaluation that returned no rows is not reported.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .records import Frame

if TYPE_CHECKING:
    from .capture import Capture

SELECT_RELATED = "select_related"
PREFETCH_RELATED = "prefetch_related"


@dataclass(eq=False)
class EagerLoad:
    """One evaluation of a queryset with eager loads, and the paths read since (mutable)."""

    label: str  # "library.Book"
    model: str  # "Book"
    method: str  # SELECT_RELATED or PREFETCH_RELATED
    paths: tuple[str, ...]  # the declared lookups, deepest form: ("author__hometown",)
    site: Frame | None
    rows: int = 0
    untracked: tuple[str, ...] = ()  # Prefetch(..., to_attr=...) lookups
    used: set[str] = field(default_factory=set)
    _known: frozenset[str] = field(init=False, repr=False)
    _parents: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        prefixes = {"__".join(p.split("__")[:i]) for p in self.paths for i in range(1, p.count("__") + 2)}
        self._known = frozenset(prefixes)
        self._parents = frozenset(p.rsplit("__", 1)[0] for p in prefixes if "__" in p)

    def use(self, path: str) -> bool:
        """Mark ``path`` read if it is one of this load's paths (or a prefix of one); say so."""
        if path in self._known:
            self.used.add(path)
            return True
        return False

    def has_deeper(self, path: str) -> bool:
        """True when declared paths go deeper than ``path`` (``author`` in ``author__hometown``)."""
        return path in self._parents


@dataclass(frozen=True)
class UnusedEagerLoad:
    """A ``select_related``/``prefetch_related`` path (or its tail) that nothing read."""

    model: str  # "Entry"
    path: str  # "blog" or "author__hometown"
    method: str  # "select_related" | "prefetch_related"
    site: Frame | None  # where the queryset was evaluated
    advice: str
    used: str = ""  # the longest prefix of ``path`` that was read ('' for none)
    evaluations: int = 1  # evaluations at ``site`` that left it unread

    def __str__(self) -> str:
        where = f" at {self.site}" if self.site else ""
        return f"Unused {self.method}('{self.path}') on {self.model}{where} — {self.advice}"


def find_unused(capture: "Capture") -> list[UnusedEagerLoad]:
    """The eager-load paths evaluated inside ``capture`` that no code read, in load order.

    Evaluations from the same call site are pooled: a path counts as used if any read it.
    """
    loads: Iterable[EagerLoad] = getattr(capture, "_eager_loads", None) or ()
    pooled: dict[tuple[str, str, Frame | None, str], tuple[int, int, EagerLoad]] = {}
    for load in loads:
        if not isinstance(load, EagerLoad) or load.rows == 0:
            continue
        for path in load.paths:
            key = (load.label, load.method, load.site, path)
            depth = _used_depth(path, load.used)
            best, seen, first = pooled.get(key, (0, 0, load))
            pooled[key] = (max(best, depth), seen + 1, first)
    unused = []
    for (_, method, site, path), (depth, seen, load) in pooled.items():
        parts = path.split("__")
        if depth == len(parts):
            continue
        prefix = "__".join(parts[:depth])
        unused.append(
            UnusedEagerLoad(load.model, path, method, site, _advice(load, path, prefix), prefix, seen)
        )
    return unused


def _used_depth(path: str, used: set[str]) -> int:
    parts = path.split("__")
    for depth in range(len(parts), 0, -1):
        if "__".join(parts[:depth]) in used:
            return depth
    return 0


def _advice(load: EagerLoad, path: str, prefix: str) -> str:
    call = f"{load.method}('{path}')"
    if not prefix:
        first = path.split("__")[0]
        return f"no {load.model}.{first} was read: remove '{path}' from {load.method}()"
    if prefix in load.paths:
        return f"only '{prefix}' was read, and it is declared too: remove '{path}'"
    return f"only '{prefix}' was read: use {load.method}('{prefix}') instead of {call}"
