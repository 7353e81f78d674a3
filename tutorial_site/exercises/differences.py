"""What differs between an answer's result and the expected one, in plain words.

Pure functions over evaluated results (lists of rows, dicts, scalars): no database access. The texts
say what is missing, extra, repeated or wrong, with a count and at most a few examples, never why;
naming a cause is left to the exercise's known mistakes, which are checked against the evidence.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.db import models

EXAMPLES = 3  # rows named in a message, at most
TEXT = 32  # characters of a string inside a row's description, at most
WIDTH = 90  # characters of one row's description, at most

RowKey = Callable[[Any], Hashable]


def row_key(row: Any) -> Hashable:
    """What rows are compared by: (model label, pk) for instances, sorted items for dicts."""
    if isinstance(row, models.Model):
        return (row._meta.label, row.pk)
    if isinstance(row, dict):
        return ("dict", tuple(sorted((k, row_key(v)) for k, v in row.items())))
    if isinstance(row, (list, tuple)):
        return tuple(row_key(v) for v in row)
    try:
        hash(row)
    except TypeError:
        return repr(row)
    return row


def _short(value: Any) -> Any:
    """``value`` with long strings cut (also inside tuples, lists and dicts), for reading."""
    if isinstance(value, str):
        return value if len(value) <= TEXT else value[: TEXT - 1] + "…"
    if isinstance(value, models.Model):
        return _short(str(value))
    if isinstance(value, tuple):
        return tuple(_short(v) for v in value)
    if isinstance(value, list):
        return [_short(v) for v in value]
    if isinstance(value, dict):
        return {k: _short(v) for k, v in value.items()}
    return value


def describe(row: Any) -> str:
    """A short, quoted description of one row: ``'Beatles Blog'``, ``('Hello', 3)``."""
    text = repr(_short(row))
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


def shape(row: Any) -> str:
    """``Blog objects``, ``dicts with keys ['a', 'b']``, ``tuples of 3``, ``int values``."""
    if isinstance(row, models.Model):
        return f"{type(row).__name__} objects"
    if isinstance(row, dict):
        return f"dicts with keys {sorted(row)}"
    if isinstance(row, tuple):
        return f"tuples of {len(row)}"
    return f"{type(row).__name__} values"


def singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word.removesuffix("s")


def plural(n: int, word: str) -> str:
    """``3 blogs``, ``1 blog``, ``1 query``, ``2,400 entries``."""
    return f"{n:,} {singular(word) if n == 1 else word}"


def _verb(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def examples(rows: Sequence[Any]) -> str:
    """``: 'A'``, ``: 'A' and 'B'`` or ``, e.g. 'A', 'B' and 'C'``: the rows described and sorted
    (the same text on every database), at most :data:`EXAMPLES` of them."""
    names = sorted(dict.fromkeys(describe(r) for r in rows))
    shown = names[:EXAMPLES]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    return (", e.g. " if len(names) > EXAMPLES else ": ") + listed


def same_rows(got: list[Any], expected: list[Any]) -> bool:
    """The same rows, each as many times, in any order."""
    return Counter(map(row_key, got)) == Counter(map(row_key, expected))


def order_difference(got: list[Any], expected: list[Any]) -> str | None:
    """None when the rows come in the same order, else where the first difference is."""
    for at, (a, b) in enumerate(zip(got, expected, strict=True), 1):
        if row_key(a) != row_key(b):
            return f"row {at} is {describe(a)}, expected {describe(b)}"
    return None


def _rows_for(rows: list[Any], keys: Counter[Hashable]) -> list[Any]:
    """The rows whose :func:`row_key` is in ``keys``, each as many times as counted there."""
    left = Counter(keys)
    chosen = []
    for row in rows:
        k = row_key(row)
        if left[k] > 0:
            left[k] -= 1
            chosen.append(row)
    return chosen


def list_difference(got: list[Any], expected: list[Any], noun: str, key: RowKey | None = None) -> str:
    """What is missing, extra, repeated or changed in ``got``, e.g. ``2 blogs are missing ('A', 'B')``.

    ``key`` names the thing a row stands for (a blog's name): a row whose key is expected but whose
    values differ is reported as wrong values instead of one missing and one extra row. Without a
    key, a row is the thing itself.
    """
    identity = key or row_key
    got_by: dict[Hashable, list[Any]] = defaultdict(list)
    expected_by: dict[Hashable, list[Any]] = defaultdict(list)
    for row in got:
        got_by[identity(row)].append(row)
    for row in expected:
        expected_by[identity(row)].append(row)

    missing: list[Any] = []
    extra: list[Any] = []
    repeated: list[tuple[Any, int, int]] = []
    changed: list[tuple[Any, Any]] = []
    split: list[tuple[Any, int]] = []
    for k in dict.fromkeys([*expected_by, *got_by]):
        g, e = got_by.get(k, []), expected_by.get(k, [])
        if same_rows(g, e):
            continue
        g_keys, e_keys = Counter(map(row_key, g)), Counter(map(row_key, e))
        if e and set(g_keys) == set(e_keys) and len(g) > len(e):
            repeated.append((g[0], len(g), len(e)))
            continue
        if key is not None and len(e) == 1 and len(g) > 1:
            split.append((e[0], len(g)))
            continue
        g_rows = _rows_for(g, g_keys - e_keys)
        e_rows = _rows_for(e, e_keys - g_keys)
        if key is not None:  # a row with an expected key but other values has wrong values
            paired = min(len(g_rows), len(e_rows))
            changed.extend(zip(g_rows[:paired], e_rows[:paired], strict=True))
            g_rows, e_rows = g_rows[paired:], e_rows[paired:]
        extra.extend(g_rows)
        missing.extend(e_rows)

    parts = []
    if missing:
        n = len(missing)
        parts.append(f"{plural(n, noun)} {_verb(n, 'is', 'are')} missing{examples(missing)}")
    if extra:
        n = len(set(map(row_key, extra)))
        parts.append(f"{plural(n, noun)} should not be there{examples(extra)}")
    if repeated:
        row, times, wanted = min(repeated, key=lambda r: describe(r[0]))
        once = "once" if wanted == 1 else f"{wanted:,} times"
        if len(repeated) == 1:
            parts.append(f"{describe(row)} comes back {times:,} times instead of {once}")
        else:
            n = len(repeated)
            parts.append(f"{plural(n, noun)} come back more than once, e.g. {describe(row)} {times:,} times")
    if changed:
        n = len(changed)
        g_row, e_row = min(changed, key=lambda pair: describe(pair[1]))
        parts.append(
            f"{plural(n, noun)} {_verb(n, 'has', 'have')} wrong values, "
            f"e.g. {describe(g_row)} instead of {describe(e_row)}"
        )
    if split:
        n = len(split)
        row, times = min(split, key=lambda r: describe(r[0]))
        parts.append(
            f"{plural(n, noun)} {_verb(n, 'is', 'are')} split over several rows, "
            f"e.g. {times:,} rows where {describe(row)} was expected"
        )
    return "; ".join(parts) or f"the {noun} differ"


def repeats(rows: list[Any], key: RowKey | None = None) -> bool:
    """Whether two rows stand for the same thing (the same ``key``, or equal rows without one)."""
    identities = [(key or row_key)(r) for r in rows]
    return len(set(identities)) < len(identities)


def value_difference(got: Any, expected: Any) -> str:
    """What differs between two results that are not lists (a dict from aggregate(), a number)."""
    if isinstance(got, dict) and isinstance(expected, dict):
        if sorted(map(str, got)) != sorted(map(str, expected)):
            return f"returned a dict with keys {sorted(got)}, expected keys {sorted(expected)}"
        wrong = [
            f"{k!r} is {got[k]!r}, expected {expected[k]!r}"
            for k in expected
            if row_key(got[k]) != row_key(expected[k])
        ]
        return "; ".join(wrong)
    if isinstance(got, list):
        return f"returned a list of {plural(len(got), 'rows')}, expected {describe(expected)}"
    return f"returned {describe(got)}, expected {describe(expected)}"
