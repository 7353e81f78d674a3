"""ORM hooks that tell the capture which ``Model.field`` a lazy load belongs to.

:func:`install` (called once by the capture) wraps a few Django methods. Each wrapper is a
pass-through, one ``ContextVar.get`` and a call, unless a capture is open. With one open:

- ``ForwardManyToOneDescriptor.__get__`` (forward FK and one-to-one), ``ReverseOneToOneDescriptor``
  and ``DeferredAttribute.__get__`` make a :class:`~profiler.nplusone.LazyLoad` the thread's
  current load (:mod:`profiler._state`) while they load, so each statement knows its cause;
- ``ReverseManyToOneDescriptor.__get__`` (reverse FK and many-to-many managers) marks the manager,
  whose ``get_queryset`` then tags ``queryset.query`` (``Query.clone`` keeps the tag through
  ``.filter()``); ``SQLCompiler.execute_sql`` (wrapped when the first related manager is seen)
  and ``QuerySet._fetch_all`` turn the tag back into the current load, noting extra filters and
  whether the relation had been prefetched;
- instances a lazy load returns remember it (``via``), so ``book.author.hometown`` is reported as
  ``Person.hometown`` via ``Book.author``;
- ``QuerySet._fetch_all`` records an :class:`~profiler.eager.EagerLoad` for querysets with
  ``select_related``/``prefetch_related`` and tags their instances; the descriptors above mark
  the paths read.

The per-instance marks live in the attribute ``_profiler_mark`` of a model instance and pickle to
``None``. They are read and set with ``getattr``/``setattr``, not through ``instance.__dict__``:
on Python 3.12+ an instance keeps its attributes inline until something asks for its
``__dict__``, which then has to be built, on every loaded row. ``instance._state`` is not used,
since adding an attribute to a ModelState that its siblings lack has the same cost.
"""

import dataclasses
import functools
from collections.abc import Callable, Iterable
from threading import get_ident as _get_ident
from typing import TYPE_CHECKING, Any

from . import _state
from .eager import PREFETCH_RELATED, SELECT_RELATED, EagerLoad
from .nplusone import DEFERRED, FORWARD, M2M, REVERSE_MANY, REVERSE_ONE, LazyLoad
from .records import user_frames

if TYPE_CHECKING:
    from django.db.models import Model
    from django.db.models.manager import BaseManager

_active = _state.active_captures
_active_get = _active.get
_loads = _state.loads
_begin_load = _state.begin_load
_end_load = _state.end_load
_MARK = "_profiler_mark"  # attribute of a model instance holding its _Mark
_TAG = "_profiler_load"  # key in sql.Query.__dict__ and in a related manager's __dict__
_PATCHED = "_profiler_patched"
_SELECT_DEPTH = 5  # Query.max_depth: how deep select_related() without arguments follows
_installed = False
# (descriptor, model class) -> its LazyLoad, and a shared mark for the instances it loads
_bases: dict[tuple[Any, "type[Model]"], tuple[LazyLoad, "_Mark"]] = {}
_Node: type = object  # django.utils.tree.Node, bound by install()
_Model: type = object  # django.db.models.Model, bound by install()


def _unpickled_mark() -> None:
    return None


class _Mark:
    """What the profiler knows about one model instance. The rows of one evaluation share one
    mark (``shared``) until one of them needs its own: :func:`_mark_of` copies it then."""

    __slots__ = ("eager", "shared", "via")

    def __init__(
        self,
        via: LazyLoad | None = None,
        eager: tuple[tuple[EagerLoad, str], ...] = (),
        shared: bool = False,
    ) -> None:
        self.via = via
        self.eager = eager
        self.shared = shared

    def __reduce__(self) -> tuple[Callable[[], None], tuple[()]]:
        return (_unpickled_mark, ())  # a pickled or deep-copied instance forgets its marks


def _mark_of(instance: Any) -> _Mark:
    """The instance's own mark, to update."""
    mark = getattr(instance, _MARK, None)
    if mark is None or mark.shared:
        mark = _Mark() if mark is None else _Mark(mark.via, mark.eager)
        setattr(instance, _MARK, mark)
    return mark


# -- describing a load -----------------------------------------------------------------------
def _base(descriptor: Any, cls: "type[Model]", kind: str) -> tuple[LazyLoad, _Mark]:
    """The :class:`LazyLoad` for ``descriptor`` read on a ``cls`` instance, and a shared mark
    saying an instance came from it (cached)."""
    key = (descriptor, cls)
    found = _bases.get(key)
    if found is None:
        load = _describe(descriptor, cls, kind)
        found = _bases[key] = (load, _Mark(load, shared=True))
    return found


def _describe(descriptor: Any, cls: "type[Model]", kind: str) -> LazyLoad:
    from django.db.models.fields.related_descriptors import ManyToManyDescriptor

    opts = cls._meta
    if kind == FORWARD:
        name, target, lookup = descriptor.field.name, descriptor.field.remote_field.model, ""
    elif kind == REVERSE_ONE:
        rel = descriptor.related
        name, target, lookup = rel.get_accessor_name(), rel.related_model, ""
    elif kind == DEFERRED:
        field = descriptor.field
        name, target, lookup = field.attname, None, field.name
    elif isinstance(descriptor, ManyToManyDescriptor):
        rel, kind = descriptor.rel, M2M
        if descriptor.reverse:
            name, target = rel.get_accessor_name(), rel.related_model
            lookup = rel.field.related_query_name()
        else:
            name, target, lookup = rel.field.name, rel.model, rel.field.name
    else:
        rel, kind = descriptor.rel, REVERSE_MANY
        name, target = rel.get_accessor_name(), rel.related_model
        lookup = rel.field.related_query_name()
    return LazyLoad(
        opts.label,
        opts.object_name or cls.__name__,  # always set on a model class; Optional in the stubs
        name,
        kind,
        _manager_name(cls),
        target._meta.object_name if target is not None else "",
        _manager_name(target) if target is not None else "objects",
        lookup or name,
    )


def _manager_name(model: Any) -> str:
    manager = getattr(model, "_default_manager", None)
    return getattr(manager, "name", None) or "objects"


def _leaves(node: Any) -> int:
    """The number of conditions in a WHERE tree."""
    return sum(_leaves(child) if isinstance(child, _Node) else 1 for child in node.children)


def _resolve(query: Any, tag: tuple[LazyLoad, int]) -> LazyLoad:
    """The manager load ``tag`` names, with what the executed query adds to it."""
    load, conditions = tag
    filtered = _leaves(query.where) > conditions
    count = "__count" in query.annotations
    if filtered or count:
        load = dataclasses.replace(load, filtered=filtered, count=count)
    return load


# -- eager-load bookkeeping ------------------------------------------------------------------
def _follow_eager(mark: _Mark, load: LazyLoad, values: Iterable[Any]) -> None:
    """``load.field`` was read on an instance tagged by eager loads: mark the path used, and
    give the related ``values`` their route and the deeper paths still to watch."""
    for record, prefix in mark.eager:
        path = prefix + load.field
        if not record.use(path):
            continue
        tag = (record, path + "__") if record.has_deeper(path) else None
        for value in values:
            seen = getattr(value, _MARK, None)
            if seen is not None and seen.via is not None and (tag is None or tag in seen.eager):
                continue
            value_mark = _mark_of(value)
            if value_mark.via is None:
                value_mark.via = load
            if tag is not None and tag not in value_mark.eager:
                value_mark.eager = (*value_mark.eager, tag)


def _prefetched(instance: Any, manager: Any) -> list[Any]:
    name = getattr(manager, "prefetch_cache_name", None)
    if name is None:
        name = manager.field.remote_field.cache_name
    cached = getattr(instance, "_prefetched_objects_cache", {}).get(name)
    rows = getattr(cached, "_result_cache", None)
    return rows if rows is not None else []


def _select_paths(model: Any, select: Any) -> tuple[str, ...]:
    """The deepest lookups of ``query.select_related`` (a nested dict, or True for all)."""
    paths: list[str] = []

    def walk(tree: dict[str, Any], prefix: str) -> None:
        for name, sub in tree.items():
            if sub:
                walk(sub, prefix + name + "__")
            else:
                paths.append(prefix + name)

    def walk_all(current: Any, prefix: str, depth: int) -> None:
        for field in current._meta.concrete_fields:
            if field.is_relation and field.remote_field and not field.null:
                path = prefix + field.name
                before = len(paths)
                if depth < _SELECT_DEPTH:
                    walk_all(field.remote_field.model, path + "__", depth + 1)
                if len(paths) == before:
                    paths.append(path)

    if select is True:
        walk_all(model, "", 1)
    elif isinstance(select, dict):
        walk(select, "")
    return tuple(paths)


def _prefetch_paths(lookups: Iterable[Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(tracked, untracked)``: a Prefetch with to_attr, and paths through it, are untracked."""
    attrs = {
        lookup.prefetch_to
        for lookup in lookups
        if not isinstance(lookup, str) and getattr(lookup, "to_attr", None)
    }
    tracked: list[str] = []
    untracked: list[str] = []
    for lookup in lookups:
        path = lookup if isinstance(lookup, str) else lookup.prefetch_to
        parts = path.split("__")
        through_attr = any("__".join(parts[:i]) in attrs for i in range(1, len(parts) + 1))
        (untracked if through_attr else tracked).append(path)
    return tuple(dict.fromkeys(tracked)), tuple(dict.fromkeys(untracked))


def _eager_records(queryset: Any, select: Any, lookups: Any) -> list[EagerLoad]:
    frames = user_frames(1, all_frames=False)
    site = frames[0] if frames else None
    opts = queryset.model._meta
    records = []
    if select:
        paths = _select_paths(queryset.model, select)
        if paths:
            records.append(EagerLoad(opts.label, opts.object_name, SELECT_RELATED, paths, site))
    if lookups:
        paths, untracked = _prefetch_paths(lookups)
        records.append(
            EagerLoad(opts.label, opts.object_name, PREFETCH_RELATED, paths, site, untracked=untracked)
        )
    return records


# -- the wrappers ----------------------------------------------------------------------------
def _single_hook(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """For ``__get__`` of descriptors returning one related object (or raising).

    The lazy load is inlined here rather than in a helper: it runs once per statement of an N+1
    loop, where every extra call and frame shows in the overhead.
    """

    forward = kind == FORWARD  # the cache entry belongs to ``descriptor.field``, else ``.related``

    def factory(original: Callable[..., Any]) -> Callable[..., Any]:
        def __get__(self: Any, instance: Any, cls: Any = None) -> Any:
            if instance is None or not _active_get():
                return original(self, instance, cls)
            mark = getattr(instance, _MARK, None)
            owner = self.field if forward else self.related  # what ``is_cached()`` asks, inlined
            if owner.cache_name in instance._state.fields_cache:
                value = original(self, instance, cls)
                if mark is not None and mark.eager and isinstance(value, _Model):
                    _follow_eager(mark, _load_on(self, instance, kind, mark), (value,))
                return value
            base = _bases.get((self, instance.__class__)) or _base(self, instance.__class__, kind)
            load = base[0] if mark is None or mark.via is None else _through(base[0], mark.via)
            ident = _get_ident()  # _begin_load and _end_load, inlined
            previous = _loads.get(ident)
            _loads[ident] = load
            try:
                value = original(self, instance, cls)
            finally:
                if previous is None:
                    _loads.pop(ident, None)
                else:
                    _loads[ident] = previous
            if isinstance(value, _Model):
                if load is base[0] and getattr(value, _MARK, None) is None:
                    setattr(value, _MARK, base[1])  # shared: ``via`` only, copied if ever changed
                else:
                    _mark_of(value).via = load
                if mark is not None and mark.eager:
                    _follow_eager(mark, load, (value,))
            return value

        return __get__

    return factory


def _load_on(descriptor: Any, instance: Any, kind: str, mark: _Mark | None) -> LazyLoad:
    load = _base(descriptor, type(instance), kind)[0]
    if mark is not None and mark.via is not None:
        load = _through(load, mark.via)
    return load


# (id(load), id(via)) -> (load, via, load reached through via): one object per route, so the
# statements of a chained N+1 share their load (see ``anchor`` in records.caller_user_frames).
_routes: dict[tuple[int, int], tuple[LazyLoad, LazyLoad, LazyLoad]] = {}
_ROUTES_KEPT = 1024


def _through(load: LazyLoad, via: LazyLoad) -> LazyLoad:
    """``load.through(via)``, the same object each time for the same two loads."""
    key = (id(load), id(via))
    known = _routes.get(key)
    if known is not None and known[0] is load and known[1] is via:
        return known[2]
    if len(_routes) >= _ROUTES_KEPT:
        _routes.clear()
    routed = load.through(via)
    _routes[key] = (load, via, routed)
    return routed


def _many_hook(original: Callable[..., Any]) -> Callable[..., Any]:
    """For ``ReverseManyToOneDescriptor.__get__`` (also many-to-many): mark the manager."""

    def __get__(self: Any, instance: Any, cls: Any = None) -> Any:
        manager = original(self, instance, cls)
        if instance is None or not _active.get():
            return manager
        return _observe_manager(self, instance, manager)

    return __get__


def _observe_manager(descriptor: Any, instance: Any, manager: Any) -> Any:
    manager_cls = type(manager)
    if _PATCHED not in manager_cls.__dict__:
        _patch_manager_class(manager_cls)
    mark = getattr(instance, _MARK, None)
    load = _load_on(descriptor, instance, REVERSE_MANY, mark)
    manager.__dict__[_TAG] = load
    if mark is not None and mark.eager:
        _follow_eager(mark, load, _prefetched(instance, manager))
    return manager


def _patch_manager_class(manager_cls: "type[BaseManager[Any]]") -> None:
    """Make a related manager class tag the querysets it hands out (once per class)."""
    _install_execute_hook()  # before the first tagged queryset can run
    original = manager_cls.get_queryset

    @functools.wraps(original)
    def get_queryset(self: Any) -> Any:
        queryset = original(self)
        load = self.__dict__.get(_TAG)
        if load is not None and _active.get():
            _tag_queryset(queryset, load)
        return queryset

    manager_cls.get_queryset = get_queryset  # type: ignore[method-assign]  # wrapping it is the point
    setattr(manager_cls, _PATCHED, True)


def _tag_queryset(queryset: Any, load: LazyLoad) -> None:
    """Tag ``queryset.query`` with ``load`` and its WHERE size, without applying a pending
    (deferred) relation filter: prefetching relies on it staying cheap."""
    query = queryset._query
    pending = queryset._deferred_filter
    conditions = _leaves(query.where) + (len(pending[1]) + len(pending[2]) if pending else 0)
    if queryset._result_cache is not None:
        load = dataclasses.replace(load, prefetched=True)
    query.__dict__[_TAG] = (load, conditions)


def _deferred_hook(original: Callable[..., Any]) -> Callable[..., Any]:
    """For ``DeferredAttribute.__get__``: a field left out by only()/defer()."""

    def __get__(self: Any, instance: Any, cls: Any = None) -> Any:
        if instance is None or not _active.get() or self.field.attname in instance.__dict__:
            return original(self, instance, cls)
        previous = _begin_load(_deferred_load(self, instance))
        try:
            return original(self, instance, cls)
        finally:
            _end_load(previous)

    return __get__


def _deferred_load(descriptor: Any, instance: Any) -> LazyLoad:
    base = _base(descriptor, type(instance), DEFERRED)[0]
    opts = instance._meta
    missing = instance.get_deferred_fields()
    fields = [f for f in opts.concrete_fields if f is not opts.pk]
    mark = getattr(instance, _MARK, None)
    return dataclasses.replace(
        base,
        via=mark.via if mark is not None else None,
        loaded=tuple(f.name for f in fields if f.attname not in missing),
        deferred=tuple(f.name for f in fields if f.attname in missing),
    )


def _execute_hook(original: Callable[..., Any]) -> Callable[..., Any]:
    """For ``SQLCompiler.execute_sql``: statements of a tagged related-manager queryset.

    Django's signature is spelled out, so the common call needs no ``*args``/``**kwargs``
    packing; another signature gets the generic wrapper.
    """
    import inspect

    from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, MULTI

    def _observed(self: Any, *args: Any, **kwargs: Any) -> Any:
        query = self.query
        tag = query.__dict__.get(_TAG)
        if tag is None:
            query = query.__dict__.get("inner_query")  # count() over a subquery
            tag = query.__dict__.get(_TAG) if query is not None else None
            if tag is None:
                return original(self, *args, **kwargs)
        previous = _begin_load(_resolve(query, tag))
        try:
            return original(self, *args, **kwargs)
        finally:
            _end_load(previous)

    def execute_sql(
        self: Any,
        result_type: Any = MULTI,
        chunked_fetch: bool = False,
        chunk_size: int = GET_ITERATOR_CHUNK_SIZE,
    ) -> Any:
        query = self.query.__dict__
        if not _active_get() or (_TAG not in query and "inner_query" not in query):
            return original(self, result_type, chunked_fetch, chunk_size)
        return _observed(self, result_type, chunked_fetch, chunk_size)

    def execute_sql_generic(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not _active_get():
            return original(self, *args, **kwargs)
        return _observed(self, *args, **kwargs)

    expected = ["self", "result_type", "chunked_fetch", "chunk_size"]
    parameters = inspect.signature(original).parameters
    if list(parameters) == expected and [p.default for p in list(parameters.values())[1:]] == [
        MULTI,
        False,
        GET_ITERATOR_CHUNK_SIZE,
    ]:
        return execute_sql
    return execute_sql_generic


def _fetch_hook(original: Callable[..., Any]) -> Callable[..., Any]:
    """For ``QuerySet._fetch_all``: eager loads, and instances returned by a lazy manager."""

    def _fetch_all(self: Any) -> None:
        if self._result_cache is None and _active_get():
            query = self._query  # ``query`` would apply a pending relation filter: not needed here
            if _TAG in query.__dict__ or query.select_related or self._prefetch_related_lookups:
                _fetch_observed(original, self)
                return
        original(self)

    return _fetch_all


def _fetch_observed(original: Callable[..., Any], queryset: Any) -> None:
    query = queryset.query
    tag = query.__dict__.get(_TAG)
    select = query.select_related
    lookups = queryset._prefetch_related_lookups
    records = _eager_records(queryset, select, lookups) if select or lookups else []
    # The queryset's own statement is attributed to its load by the execute_sql hook; the
    # prefetch queries that follow it are not lazy loads of that relation, so one evaluation of
    # a manager queryset with prefetch_related() counts once, not once per statement.
    original(queryset)
    rows = queryset._result_cache
    if not rows or not isinstance(rows[0], _Model):
        return
    eager: tuple[tuple[EagerLoad, str], ...] = ()
    if records:
        alias = queryset.db
        for capture in _active.get():
            if capture._aliases is None or alias in capture._aliases:
                capture._eager_loads.extend(records)
        for record in records:
            record.rows = len(rows)
        eager = tuple((record, "") for record in records)
    via = tag[0] if tag is not None else None
    shared = _Mark(via, eager, shared=True)
    for row in rows:
        mark = getattr(row, _MARK, None)
        if mark is None:
            setattr(row, _MARK, shared)
        else:  # an instance met before (a known related object): update its own mark
            mark = _mark_of(row)
            mark.eager = (*mark.eager, *eager)
            if mark.via is None:
                mark.via = via


# -- installation ----------------------------------------------------------------------------
_Factory = Callable[[Callable[..., Any]], Callable[..., Any]]


def _wrap(cls: type, name: str, factory: _Factory) -> None:
    original = cls.__dict__[name]
    if getattr(original, "_profiler_hook", False):
        return
    wrapper = functools.wraps(original)(factory(original))
    wrapper._profiler_hook = True  # type: ignore[attr-defined]
    setattr(cls, name, wrapper)


def install() -> None:
    """Install the hooks once; they are pass-throughs unless a capture is open."""
    global _installed, _Node, _Model
    if _installed:
        return
    from django.db.models import Model
    from django.db.models.fields import related_descriptors as related
    from django.db.models.query import QuerySet
    from django.db.models.query_utils import DeferredAttribute
    from django.utils.tree import Node

    _Node, _Model = Node, Model
    _wrap(related.ForwardManyToOneDescriptor, "__get__", _single_hook(FORWARD))
    _wrap(related.ReverseOneToOneDescriptor, "__get__", _single_hook(REVERSE_ONE))
    _wrap(related.ReverseManyToOneDescriptor, "__get__", _many_hook)
    _wrap(DeferredAttribute, "__get__", _deferred_hook)
    _wrap(QuerySet, "_fetch_all", _fetch_hook)
    _installed = True


def _install_execute_hook() -> None:
    """Wrap ``SQLCompiler.execute_sql``, which only related-manager querysets need: it is put on
    when the first related manager is seen, so code that never uses one never pays for it."""
    from django.db.models.sql.compiler import SQLCompiler

    _wrap(SQLCompiler, "execute_sql", _execute_hook)
