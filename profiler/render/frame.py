"""A pandas DataFrame of captured statements, one row per statement (pandas imported lazily)."""

from collections.abc import Iterable
from typing import Any

COLUMNS = (
    "alias",
    "kind",
    "tables",
    "sql",
    "params",
    "duration_ms",
    "many",
    "origin",
    "error",
    "fingerprint",
)


def to_frame(records: Iterable[Any]) -> Any:
    """A DataFrame indexed by statement number (from 1).

    Columns: alias, kind, tables, sql, params, duration_ms, many, origin (``path:line in
    function``), error (``Type: message``), fingerprint.
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(
            "to_frame() needs pandas, which is not installed: `pip install pandas` "
            "(or use str(capture) / iterate the capture instead)."
        ) from exc
    rows = [
        {
            "alias": q.alias,
            "kind": q.kind,
            "tables": ", ".join(q.tables),
            "sql": q.sql,
            "params": q.params,
            "duration_ms": q.duration * 1000,
            "many": q.many,
            "origin": str(q.origin) if q.origin is not None else None,
            "error": f"{type(q.error).__name__}: {q.error}" if q.error is not None else None,
            "fingerprint": q.fingerprint,
        }
        for q in records
    ]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame.index = pd.RangeIndex(1, len(rows) + 1, name="index")
    return frame
