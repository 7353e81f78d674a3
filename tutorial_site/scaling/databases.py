"""Point database aliases at other servers while Python runs: a notebook or a test switches to the
lab's PostgreSQL without restarting.

    switch = use_databases({"default": cluster.primary.settings(), "replica": cluster.replica.settings()})
    ...                   # the ORM now talks to the lab's primary (and the router to its replica)
    switch.restore()      # or: with use_databases({...}): ...

The entries are what ``settings.DATABASES`` would hold. Connections already open on those aliases
in this thread are closed first (pools too); other threads open new connections with the new
settings when they next need one.
"""

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

from django.db import connections


def _close(alias: str) -> None:
    if alias not in connections.settings:
        return
    connection = connections[alias]
    connection.close()
    close_pool = getattr(connection, "close_pool", None)  # PostgreSQL on Django >= 5.1
    if close_pool is not None:
        close_pool()
    del connections[alias]


class DatabaseSwitch:
    """The aliases changed by :func:`use_databases`; :meth:`restore` puts the earlier ones back."""

    def __init__(self, databases: Mapping[str, Mapping[str, Any]]) -> None:
        configured = connections.settings  # the very dict of settings.DATABASES
        self._saved = {alias: configured.get(alias) for alias in databases}
        entries = {
            alias: {**entry, "OPTIONS": dict(entry.get("OPTIONS", {}))} for alias, entry in databases.items()
        }
        # Django's defaults (ATOMIC_REQUESTS, TIME_ZONE, TEST, ...) for the new entries:
        connections.configure_settings({"default": {}, **entries})
        for alias, entry in entries.items():
            _close(alias)
            configured[alias] = entry
        self.aliases = tuple(entries)

    def restore(self) -> None:
        """Close the switched aliases' connections and put the earlier settings back (idempotent)."""
        for alias, saved in self._saved.items():
            _close(alias)
            if saved is None:
                connections.settings.pop(alias, None)
            else:
                connections.settings[alias] = saved
        self._saved = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.restore()

    def __repr__(self) -> str:
        return f"<DatabaseSwitch {', '.join(self.aliases)}>"


def use_databases(databases: Mapping[str, Mapping[str, Any]]) -> DatabaseSwitch:
    """Point each alias of ``databases`` at its entry (new aliases are added) until restored."""
    return DatabaseSwitch(databases)
