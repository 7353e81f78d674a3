"""Safe EXPLAIN of one captured SELECT: never re-runs a write, never leaves a trace.

SQLite answers ``EXPLAIN QUERY PLAN``; PostgreSQL answers ``EXPLAIN`` or, with ``analyze=True``,
``EXPLAIN ANALYZE`` run inside a transaction (a savepoint when one is open) that is rolled back.
"""

from typing import TYPE_CHECKING, Any

import sqlparse
from sqlparse import tokens as T

from . import _state
from .errors import ProfilerError

if TYPE_CHECKING:
    from .records import Query

_LOCK_WORDS = frozenset({"UPDATE", "SHARE", "NO", "KEY"})


def check_read_only(sql: str) -> None:
    """Raise :class:`ProfilerError` unless ``sql`` is one plain SELECT (no write, lock or DDL)."""
    statements = [s for s in sqlparse.parse(sql) if s.value.strip(" \n\t;")]
    if len(statements) != 1:
        raise ProfilerError(
            f"explain() takes one SELECT statement; this SQL holds {len(statements)}: {sql[:200]!r}"
        )
    statement = statements[0]
    kind = statement.get_type()
    if kind != "SELECT":
        raise ProfilerError(
            f"explain() only explains SELECT statements, and this is {kind}: {sql[:200]!r}. "
            "Re-running a write to plan it would change the database."
        )
    words = [t for t in statement.flatten() if t.ttype in T.Keyword]
    for position, token in enumerate(words):
        word = token.normalized.upper()
        if token.ttype in T.Keyword.DML and word != "SELECT":
            raise ProfilerError(
                f"explain() refuses this SELECT: it contains a {word} (a data-modifying CTE or "
                f"subquery), so running it would change the database: {sql[:200]!r}"
            )
        if token.ttype in T.Keyword.DDL:
            raise ProfilerError(f"explain() refuses this statement: it contains {word}: {sql[:200]!r}")
        following = words[position + 1].normalized.upper() if position + 1 < len(words) else ""
        if word == "FOR" and following in _LOCK_WORDS:
            raise ProfilerError(
                "explain() refuses SELECT ... FOR UPDATE/SHARE: running it takes row locks. "
                f"Explain the query without select_for_update() instead: {sql[:200]!r}"
            )
        if word == "INTO":
            raise ProfilerError(f"explain() refuses SELECT ... INTO: it creates a table: {sql[:200]!r}")


def explain(query: "Query", *, analyze: bool = False) -> str:
    """The database's plan for one captured SELECT ``query`` (a :class:`~profiler.Query`).

    ``analyze=True`` (PostgreSQL only) executes the statement under ``EXPLAIN ANALYZE`` in a
    transaction that is rolled back. Writes, locking SELECTs and executemany statements are
    refused with :class:`ProfilerError`.
    """
    if query.many:
        raise ProfilerError(
            "explain() cannot explain an executemany() statement: it ran once per parameter row. "
            "Explain a single SELECT from the capture instead."
        )
    check_read_only(query.sql)
    from django.db import connections, transaction

    if query.alias not in connections:
        raise ProfilerError(
            f"The database alias {query.alias!r} of this statement is not configured any more; "
            f"the configured aliases are {', '.join(map(repr, connections))}."
        )
    connection = connections[query.alias]
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise ProfilerError(f"explain() supports SQLite and PostgreSQL, not {vendor!r}.")
    if analyze and vendor != "postgresql":
        raise ProfilerError(
            "explain(analyze=True) needs PostgreSQL: SQLite has no EXPLAIN ANALYZE. "
            "Call explain(query) for SQLite's query plan."
        )
    token = _state.active_captures.set(())  # the EXPLAIN itself is not part of any capture
    try:
        if vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + query.sql, query.params)
                return _sqlite_tree(cursor.fetchall())
        prefix = "EXPLAIN ANALYZE " if analyze else "EXPLAIN "
        with transaction.atomic(using=query.alias):
            try:
                with connection.cursor() as cursor:
                    cursor.execute(prefix + query.sql, query.params)
                    return "\n".join(row[0] for row in cursor.fetchall())
            finally:
                transaction.set_rollback(True, using=query.alias)
    finally:
        _state.active_captures.reset(token)


def _sqlite_tree(rows: list[tuple[Any, ...]]) -> str:
    """SQLite's ``(id, parent, notused, detail)`` rows drawn as an indented tree."""
    depth: dict[int, int] = {0: -1}
    lines = ["QUERY PLAN"]
    for node, parent, _unused, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + "- " + str(detail))
    return "\n".join(lines)
