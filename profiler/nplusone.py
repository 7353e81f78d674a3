"""N+1 detection: statements caused by the same lazy load, repeated at one call site, with a fix.

:mod:`profiler.hooks` makes a :class:`LazyLoad` the thread's current load
(:func:`profiler._state.current_load`) while a relation or deferred field loads lazily, so each
captured :class:`~profiler.records.Query` knows its cause (``query.load``). :func:`find_n_plus_one`
groups those statements by cause, call site and HTTP request, and writes the code that loads the
relation up front. Pure analysis: no Django import, no I/O.
"""

import ast
import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Optional

from .records import Frame, Query
from .request_spans import OUTSIDE

FORWARD = "forward"  # forward ForeignKey / OneToOneField: entry.blog
REVERSE_ONE = "reverse_one"  # reverse OneToOneField: place.restaurant
REVERSE_MANY = "reverse_many"  # reverse ForeignKey manager: blog.entry_set.all()
M2M = "m2m"  # ManyToManyField manager, either side: entry.authors.all()
DEFERRED = "deferred"  # a field left out by only()/defer(): entry.headline
KINDS = (FORWARD, REVERSE_ONE, REVERSE_MANY, M2M, DEFERRED)
_SINGLE = (FORWARD, REVERSE_ONE)
_VIA_LIMIT = 6  # longest provenance chain kept (a tree walk must not grow it without bound)


@dataclass(frozen=True)
class LazyLoad:
    """What a lazily executed statement was loading: ``model.field`` and how it was reached.

    ``via`` is the load (or the ``select_related``/``prefetch_related`` hop) that produced the
    instance ``field`` was read on, so ``book.author.hometown`` gives ``Person.hometown`` via
    ``Book.author``. Equal loads (same relation, same route) compare equal.
    """

    label: str  # "blog.Entry": the model the attribute was read on
    model: str  # "Entry"
    field: str  # "blog", "entry_set", "authors", "headline", "blog_id"
    kind: str  # one of KINDS
    manager: str = "objects"  # default manager name of ``model``
    target: str = ""  # related model ("Blog"); '' for a deferred field
    target_manager: str = "objects"
    lookup: str = ""  # name in lookups: Count('entry'), only('blog'); defaults to ``field``
    via: Optional["LazyLoad"] = None
    prefetched: bool = False  # a manager whose relation was prefetched, queried again
    filtered: bool = False  # a manager queryset with filters beyond the relation's own
    count: bool = False  # the statement was a manager's count()
    loaded: tuple[str, ...] = ()  # deferred loads: fields the instance had
    deferred: tuple[str, ...] = ()  # deferred loads: fields the instance lacked

    def __str__(self) -> str:
        return f"{self.model}.{self.field}"

    @property
    def chain(self) -> tuple["LazyLoad", ...]:
        """The hops from the root queryset's model to this load, this one last."""
        hops: list[LazyLoad] = []
        load: LazyLoad | None = self
        while load is not None:
            hops.append(load)
            load = load.via
        return tuple(reversed(hops))

    def through(self, via: Optional["LazyLoad"]) -> "LazyLoad":
        """This load reached through ``via`` (the chain is cut at a few hops)."""
        if via is not None and len(via.chain) >= _VIA_LIMIT:
            via = None
        return LazyLoad(
            self.label,
            self.model,
            self.field,
            self.kind,
            self.manager,
            self.target,
            self.target_manager,
            self.lookup,
            via,
        )


@dataclass(frozen=True)
class Finding:
    """One N+1: the same lazy load repeated ``count`` times from one call site, and its fix."""

    model: str  # "Person"
    field: str  # "hometown"
    kind: str  # one of KINDS
    site: Frame | None  # the user code line that ran the statements
    count: int  # statements caused
    sql: str  # one of them, as an example
    fix: str  # the code that loads it up front
    via: str = ""  # "Book.author" when the instances were reached through a relation
    note: str = ""  # what went wrong, in one sentence
    queries: tuple[Query, ...] = dataclasses.field(default=(), repr=False, compare=False)

    @property
    def relation(self) -> str:
        return f"{self.model}.{self.field}"

    def __str__(self) -> str:
        via = f" (via {self.via})" if self.via else ""
        where = f" at {self.site}" if self.site else ""
        return f"N+1: {self.relation}{via} loaded {self.count} times{where} — fix: {self.fix}"


def find_n_plus_one(
    records: Iterable[Query], threshold: int = 2, requests: Sequence[int] | None = None
) -> list[Finding]:
    """Lazy loads that ran ``threshold`` or more SELECTs from the same call site, most first.

    ``requests`` gives each record's HTTP request number (:mod:`profiler.request_spans`; -1
    outside any request): a load repeats only within one request, so one line that loads once per
    request is no N+1, however many requests ran. A finding counts the statements of the requests
    where it repeated. A load that runs once (Django 6.1's ``FETCH_PEERS`` loads all peers in one
    statement) is not reported. Statements without a cause (``query.load is None``) are ignored.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"threshold must be a positive int (statements per call site), got {threshold!r}.")
    records = list(records)
    if requests is None:
        requests = [OUTSIDE] * len(records)
    elif len(requests) != len(records):
        raise ValueError(
            f"requests must give one request number per record: {len(requests)} numbers for "
            f"{len(records)} records."
        )
    groups: dict[tuple[LazyLoad, Frame | None], dict[int, list[Query]]] = {}
    for query, request in zip(records, requests, strict=True):
        load = query.load
        if not isinstance(load, LazyLoad) or not _is_select(query.sql):
            continue
        groups.setdefault((load, query.origin), {}).setdefault(request, []).append(query)
    findings = []
    for (load, site), by_request in groups.items():
        repeated = [q for queries in by_request.values() if len(queries) >= threshold for q in queries]
        if repeated:
            findings.append(_finding(load, site, repeated))
    findings.sort(key=lambda f: -f.count)  # stable: ties keep execution order
    return findings


def _is_select(sql: str) -> bool:
    return sql.lstrip(" (\n\t")[:6].upper() == "SELECT"


def _finding(load: LazyLoad, site: Frame | None, queries: list[Query]) -> Finding:
    fix, note = fix_for(load, site.code if site else "")
    via = " → ".join(str(hop) for hop in load.via.chain) if load.via else ""
    return Finding(
        load.model,
        load.field,
        load.kind,
        site,
        len(queries),
        queries[0].sql,
        fix,
        via,
        note,
        tuple(queries),
    )


# -- fixes -----------------------------------------------------------------------------------
def fix_for(load: LazyLoad, code: str = "") -> tuple[str, str]:
    """``(fix, note)`` for one lazy load; ``code`` is the source line that ran it, if known."""
    if load.kind == DEFERRED:
        return _deferred_fix(load)
    hops = load.chain
    root = hops[0]
    path = "__".join(hop.field for hop in hops)
    base = f"{root.model}.{root.manager}"
    if load.kind in _SINGLE:
        method = "select_related" if all(h.kind in _SINGLE for h in hops) else "prefetch_related"
        note = f"each {load.model} loads its {load.field} with one query"
        return f"{base}.{method}('{path}')", note
    chain = _manager_chain(code, load.field)
    if load.count and load.via is None:
        return _count_fix(load, chain)
    if load.filtered or load.prefetched or chain:
        queryset = f"{load.target}.{load.target_manager}{chain or '.filter(...)'}"
        to_attr = f"filtered_{load.field}" if load.filtered else f"{load.field}_list"
        fix = f"{base}.prefetch_related(Prefetch('{path}', queryset={queryset}, to_attr='{to_attr}'))"
        if load.prefetched:
            note = (
                f"{load.field} was prefetched, but calling filter()/order_by() on the manager "
                f"ignores the prefetched rows and queries again; prefetch the filtered rows "
                f"instead and read .{to_attr} (a list)"
            )
        else:
            note = (
                f"each {load.model} runs its own filtered {load.field} query; prefetch the "
                f"filtered rows and read .{to_attr} (a list)"
            )
        if not chain:
            note += "; put the same filter as at the call site in the queryset"
        return fix, note
    return (
        f"{base}.prefetch_related('{path}')",
        f"each {load.model} queries its {load.field} separately",
    )


def _deferred_fix(load: LazyLoad) -> tuple[str, str]:
    base = f"{load.model}.{load.manager}"
    name = load.lookup or load.field
    remaining = [f for f in load.deferred if f != name]
    note = f"{load.field} was deferred by only()/defer() and each {load.model} loads it separately"
    if not remaining:
        return f"{base}.all()", note + f"; drop the defer()/only() that leaves out '{name}'"
    if len(load.loaded) <= len(remaining):
        fields = ", ".join(f"'{f}'" for f in (*load.loaded, name))
        return f"{base}.only({fields})", note
    return f"{base}.defer({', '.join(repr(f) for f in remaining)})", note


def _count_fix(load: LazyLoad, chain: str) -> tuple[str, str]:
    base = f"{load.model}.{load.manager}"
    alias = f"{load.lookup}__count"
    note = f"each {load.model} counts its {load.field} with one query; read .{alias}"
    if not load.filtered:
        return f"{base}.annotate(Count('{load.lookup}'))", note
    condition = _count_condition(chain, load.lookup)
    return (
        f"{base}.annotate({alias}=Count('{load.lookup}', filter={condition or 'Q(...)'}))",
        note if condition else note + "; put the call site's filter in Q(...)",
    )


_QUERYSET_METHODS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "order_by",
        "select_related",
        "prefetch_related",
        "only",
        "defer",
        "annotate",
        "distinct",
        "alias",
        "reverse",
    }
)


def _manager_chain(code: str, accessor: str) -> str:
    """The queryset calls after ``.accessor`` in ``code``: ``".filter(rating__gte=4)"``."""
    match = re.search(rf"\.{re.escape(accessor)}\s*(?=\.)", code)
    if match is None:
        return ""
    pos, calls = match.end(), []
    while True:
        call = re.compile(r"\s*\.\s*(\w+)\s*\(").match(code, pos)
        if call is None or call.group(1) not in _QUERYSET_METHODS:
            break
        end = _closing_paren(code, call.end() - 1)
        if end < 0:
            break
        if call.group(1) != "all":
            calls.append(f".{call.group(1)}{code[call.end() - 1 : end + 1]}")
        pos = end + 1
    return "".join(calls)


def _closing_paren(code: str, start: int) -> int:
    depth, quote, i = 0, "", start
    while i < len(code):
        char = code[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _count_condition(chain: str, prefix: str) -> str:
    """``Q(entry__rating__gte=4)`` from ``.filter(rating__gte=4)``; '' when not that simple."""
    match = re.fullmatch(r"\.filter(\(.*\))", chain, re.DOTALL)
    if match is None:
        return ""
    source = "f" + match.group(1)
    try:
        call = ast.parse(source, mode="eval").body
    except SyntaxError:
        return ""
    if not isinstance(call, ast.Call) or call.args or any(k.arg is None for k in call.keywords):
        return ""
    parts = [f"{prefix}__{k.arg}={ast.get_source_segment(source, k.value)}" for k in call.keywords]
    return f"Q({', '.join(parts)})" if parts else ""
