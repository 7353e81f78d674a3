"""Send reads to the replica and writes to the primary, and read your own writes from the primary.

A streaming replica replays the primary's changes a little later (usually a millisecond or two on one
machine, seconds on a busy network). Code that writes and then reads back in the same request would
read the replica's older copy: the user would not see their own change. :func:`read_your_writes`
(one per request, by :func:`~tutorial_site.scaling.middleware.read_your_writes_middleware`) notes the
first write, and the router sends every later read of that request to the primary.

    DATABASE_ROUTERS = [ROUTER]
    MIDDLEWARE += [READ_YOUR_WRITES_MIDDLEWARE]

The settings add both (:data:`tutorial_site.scaling.config.ROUTER` and ``READ_YOUR_WRITES_MIDDLEWARE``)
when ``REPLICA_URL`` is set. Without a ``replica`` database configured, every
statement goes to ``default``, as without a router.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

# Apps whose rows are read right after being written by another request: the session (a stale copy
# would log the user out) is always read from the primary.
PRIMARY_ONLY_APPS = frozenset({"sessions"})


@dataclass
class _Scope:
    wrote: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("read_your_writes", default=None)


@contextmanager
def read_your_writes() -> Iterator[None]:
    """Within the block, once anything was written, reads go to the primary too."""
    token = _scope.set(_Scope())
    try:
        yield
    finally:
        _scope.reset(token)


def wrote_in_scope() -> bool:
    """Whether a write was routed inside the current :func:`read_your_writes` block."""
    scope = _scope.get()
    return scope is not None and scope.wrote


class PrimaryReplicaRouter:
    """Reads from ``replica``, writes to ``default`` (the primary); a request that wrote reads the primary.

    Reads also go to the primary inside a transaction on the primary (they must see its uncommitted
    rows), for :data:`PRIMARY_ONLY_APPS`, and when no ``replica`` database is configured. Objects
    that came from other databases keep theirs (the router answers ``None`` for them).
    """

    def __init__(self, primary: str = DEFAULT_DB_ALIAS, replica: str = "replica") -> None:
        self.primary = primary
        self.replica = replica

    def _ours(self, hints: dict[str, Any]) -> bool:
        instance = hints.get("instance")
        db = getattr(getattr(instance, "_state", None), "db", None)
        return db in (None, self.primary, self.replica)

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not self._ours(hints):
            return None
        if (
            self.replica not in connections.settings
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or wrote_in_scope()
            or connections[self.primary].in_atomic_block
        ):
            return self.primary
        return self.replica

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        if not self._ours(hints):
            return None
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True
        return self.primary

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        ours = {self.primary, self.replica}
        return True if obj1._state.db in ours and obj2._state.db in ours else None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        # The replica is a copy of the primary: migrations reach it through replication.
        return False if db == self.replica else None

    def __repr__(self) -> str:
        return f"<PrimaryReplicaRouter reads: {self.replica!r}, writes: {self.primary!r}>"
