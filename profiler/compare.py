"""Run the same question with several ORM strategies over growing sizes: :func:`compare`.

    >>> comparison = profiler.compare({
    ...     "lazy": lambda n: [e.blog.name for e in Entry.objects.order_by("id")[:n]],
    ...     "select_related": lambda n: [
    ...         e.blog.name for e in Entry.objects.select_related("blog").order_by("id")[:n]],
    ... }, sizes=[10, 100, 1000])
    >>> comparison.frame        # strategy, size, queries, rows, median_ms, min_ms
    >>> comparison.growth()     # lazy: linear (N+1), select_related: constant
    >>> comparison.plot()       # queries and time against size, log scales

The analysis here never imports matplotlib; the figure is drawn by :mod:`profiler.render.plot`.
"""

import statistics
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .capture import Capture, capture, resolve_aliases
from .errors import ProfilerError

if TYPE_CHECKING:
    from .nplusone import Finding

DEFAULT_SIZES = (10, 100, 1000)
TRANSACTION_KINDS = frozenset({"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})
N_PLUS_ONE_SLOPE = 0.5
"""A linear growth of at least this many statements per row is reported as an N+1."""
FRAME_COLUMNS = ["strategy", "size", "queries", "rows", "median_ms", "min_ms"]


@dataclass(frozen=True)
class Failure:
    """A strategy that raised at one size; its other sizes and the other strategies still ran."""

    strategy: str
    size: int
    error: BaseException
    traceback: str = field(repr=False, default="")

    def __str__(self) -> str:
        error = f"{type(self.error).__name__}: {self.error}"
        return f"{self.strategy!r} failed at size {self.size}: {error}"


@dataclass(frozen=True)
class Mismatch:
    """At ``size``, ``strategy`` returned something else than the ``reference`` strategy."""

    size: int
    strategy: str
    reference: str
    detail: str

    def __str__(self) -> str:
        return (
            f"size {self.size}: {self.strategy!r} returned a different result than "
            f"{self.reference!r} ({self.detail})"
        )


@dataclass(frozen=True)
class Growth:
    """How one strategy's statement count grows with the size.

    ``kind`` is ``"constant"``, ``"linear"``, ``"irregular"`` (no good straight-line fit) or
    ``"unknown"`` (fewer than two sizes ran). ``slope`` is statements per unit of size (a least-
    squares fit). ``n_plus_one`` is true for a linear growth of at least 0.5 statements per row;
    ``findings`` are then the capture's N+1 findings at the largest size.
    """

    strategy: str
    kind: str
    sizes: tuple[int, ...]
    counts: tuple[int, ...]
    slope: float = 0.0
    intercept: float = 0.0
    n_plus_one: bool = False
    findings: tuple["Finding", ...] = ()

    def __str__(self) -> str:
        counts = ", ".join(f"{c} at {s}" for s, c in zip(self.sizes, self.counts, strict=True))
        if self.kind == "constant":
            count = f"{self.counts[0]} {'query' if self.counts[0] == 1 else 'queries'}"
            text = f"{self.strategy}: constant ({count} at every size)"
        elif self.kind == "linear":
            text = f"{self.strategy}: linear, ≈{self.slope:.2f} queries per row ({counts})"
        elif self.kind == "irregular":
            text = f"{self.strategy}: irregular ({counts})"
        else:
            text = f"{self.strategy}: unknown, needs at least two sizes ({counts or 'none ran'})"
        if self.n_plus_one:
            text += " — N+1"
            text += "".join(f"\n    {finding}" for finding in self.findings)
        return text


class Comparison:
    """The result of :func:`compare`: a tidy frame, growth per strategy, mismatches and failures.

    ``frame`` has one row per strategy and size that ran (columns: strategy, size, queries, rows,
    median_ms, min_ms). ``captures[(strategy, size)]`` is the warm-up run's capture.
    ``results[(strategy, size)]`` the strategy's normalised result. Mismatches and failures are
    reported, never raised.
    """

    def __init__(
        self,
        strategies: list[str],
        sizes: list[int],
        repeat: int,
        rows: list[dict[str, Any]],
        captures: dict[tuple[str, int], Capture],
        results: dict[tuple[str, int], Any],
        failures: list[Failure],
    ) -> None:
        self.strategies = strategies
        self.sizes = sizes
        self.repeat = repeat
        self.rows = rows
        self.captures = captures
        self.results = results
        self.failures = failures
        self.mismatches = find_mismatches(strategies, sizes, results)

    @property
    def frame(self) -> Any:
        """A pandas DataFrame: strategy, size, queries, rows, median_ms, min_ms."""
        import pandas as pd

        frame = pd.DataFrame(self.rows, columns=FRAME_COLUMNS)
        return frame.astype(
            {
                "size": "int64",
                "queries": "int64",
                "rows": "Int64",
                "median_ms": "float64",
                "min_ms": "float64",
            }
        )

    def queries(self, strategy: str) -> dict[int, int]:
        """``{size: statement count}`` for one strategy (sizes where it failed are absent)."""
        self._check_strategy(strategy)
        return {r["size"]: r["queries"] for r in self.rows if r["strategy"] == strategy}

    def growth(self) -> dict[str, Growth]:
        """Per strategy, how its statement count grows with the size (see :class:`Growth`)."""
        return {name: self._growth(name) for name in self.strategies}

    def _growth(self, strategy: str) -> Growth:
        points = sorted(self.queries(strategy).items())
        growth = Growth(strategy, *classify([s for s, _ in points], [c for _, c in points]))
        if growth.n_plus_one:
            largest = points[-1][0]
            findings = tuple(_n_plus_one(self.captures[(strategy, largest)]))
            growth = replace(growth, findings=findings)
        return growth

    def plot(self) -> Any:
        """A matplotlib Figure: queries vs size and median time vs size, log scales."""
        from .render.plot import plot_comparison

        return plot_comparison(self)

    def _check_strategy(self, strategy: str) -> None:
        if strategy not in self.strategies:
            raise KeyError(
                f"No strategy {strategy!r} in this comparison; it has "
                f"{', '.join(map(repr, self.strategies))}."
            )

    def __repr__(self) -> str:
        extra = ""
        if self.mismatches:
            extra += f", {len(self.mismatches)} MISMATCHES"
        if self.failures:
            extra += f", {len(self.failures)} failures"
        return (
            f"<Comparison {len(self.strategies)} strategies x {len(self.sizes)} sizes "
            f"(repeat={self.repeat}){extra}>"
        )

    def __str__(self) -> str:
        from .render.plot import render_comparison_text

        return render_comparison_text(self)

    def _repr_html_(self) -> str:
        from .render.plot import render_comparison_html

        return render_comparison_html(self)


# -- analysis: pure functions ---------------------------------------------------------------------
Classified = tuple[str, tuple[int, ...], tuple[int, ...], float, float, bool]


def classify(sizes: list[int], counts: list[int]) -> Classified:
    """``(kind, sizes, counts, slope, intercept, n_plus_one)`` for one strategy's counts."""
    sizes_t, counts_t = tuple(sizes), tuple(counts)
    if len(sizes) < 2:
        return ("unknown", sizes_t, counts_t, 0.0, float(counts[0]) if counts else 0.0, False)
    if len(set(counts)) == 1:
        return ("constant", sizes_t, counts_t, 0.0, float(counts[0]), False)
    mean_x = sum(sizes) / len(sizes)
    mean_y = sum(counts) / len(counts)
    sxx = sum((x - mean_x) ** 2 for x in sizes)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(sizes, counts, strict=True))
    slope = sxy / sxx if sxx else 0.0
    intercept = mean_y - slope * mean_x
    ss_tot = sum((y - mean_y) ** 2 for y in counts)
    ss_res = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(sizes, counts, strict=True))
    r_squared = 1 - ss_res / ss_tot if ss_tot else 1.0
    if slope > 0 and r_squared >= 0.9:
        return ("linear", sizes_t, counts_t, slope, intercept, slope >= N_PLUS_ONE_SLOPE)
    return ("irregular", sizes_t, counts_t, slope, intercept, False)


def _n_plus_one(captured: Capture) -> "list[Finding]":
    """The capture's N+1 findings; empty while :mod:`profiler.nplusone` is not available."""
    try:
        return list(captured.n_plus_one())
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.nplusone":
            raise
        return []


def normalise(value: Any) -> Any:
    """``value`` in a comparable form: querysets and iterables as lists, model instances as
    ``(label, pk)``, dicts with normalised keys and values, sets as frozensets."""
    from django.db import models

    if isinstance(value, models.Model):
        return (value._meta.label, value.pk)
    if isinstance(value, (models.QuerySet, models.Manager)):
        return [normalise(v) for v in value.all()]
    if isinstance(value, Mapping):
        return {normalise(k): normalise(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return frozenset(normalise(v) for v in value)
    if isinstance(value, (str, bytes)):
        return value
    if isinstance(value, tuple):
        return tuple(normalise(v) for v in value)
    if isinstance(value, Iterable):
        return [normalise(v) for v in value]
    return value


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return ("dict", tuple(sorted(((repr(k), _hashable(v)) for k, v in value.items()))))
    if isinstance(value, list):
        return ("list", tuple(_hashable(v) for v in value))
    if isinstance(value, tuple):
        return tuple(_hashable(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _short(value: Any, limit: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_difference(got: Any, expected: Any) -> str:
    """A short, specific account of how ``got`` differs from ``expected`` (they differ)."""
    if isinstance(got, list) and isinstance(expected, list):
        if len(got) != len(expected):
            return f"{len(got)} items instead of {len(expected)}"
        if sorted(map(repr, map(_hashable, got))) == sorted(map(repr, map(_hashable, expected))):
            return "the same items in a different order"
        at = next(i for i, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b)
        return f"item {at}: {_short(got[at])} instead of {_short(expected[at])}"
    if isinstance(got, dict) and isinstance(expected, dict):
        missing = [k for k in expected if k not in got]
        extra = [k for k in got if k not in expected]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"{len(missing)} keys missing (e.g. {_short(missing[0])})")
            if extra:
                parts.append(f"{len(extra)} unexpected keys (e.g. {_short(extra[0])})")
            return ", ".join(parts)
        key = next(k for k in expected if got[k] != expected[k])
        return f"at key {_short(key)}: {_short(got[key])} instead of {_short(expected[key])}"
    return f"{_short(got)} instead of {_short(expected)}"


def find_mismatches(
    strategies: list[str], sizes: list[int], results: Mapping[tuple[str, int], Any]
) -> list[Mismatch]:
    """Per size, every strategy whose result differs from the first strategy that ran there."""
    mismatches = []
    for size in sizes:
        ran = [name for name in strategies if (name, size) in results]
        if len(ran) < 2:
            continue
        reference = ran[0]
        expected = results[(reference, size)]
        for name in ran[1:]:
            got = results[(name, size)]
            if got != expected:
                detail = describe_difference(got, expected)
                mismatches.append(Mismatch(size, name, reference, detail))
    return mismatches


def _count_rows(value: Any) -> int | None:
    return len(value) if isinstance(value, (list, tuple, dict, frozenset)) else None


# -- running ---------------------------------------------------------------------------------------
Strategies = Mapping[str, Callable[[int], Any]]


def _validate(strategies: Any, sizes: Any, repeat: Any) -> tuple[dict[str, Any], list[int]]:
    if not isinstance(strategies, Mapping):
        raise ProfilerError(
            f"strategies must be a dict of label -> callable(n), got {type(strategies).__name__}: "
            "e.g. {'lazy': lambda n: [...], 'select_related': lambda n: [...]}."
        )
    if not strategies:
        raise ProfilerError(
            "strategies is empty: pass at least one label -> callable(n), "
            "e.g. {'lazy': lambda n: [e.blog.name for e in Entry.objects.all()[:n]]}."
        )
    for label, strategy in strategies.items():
        if not isinstance(label, str) or not label:
            raise ProfilerError(f"Strategy labels must be non-empty strings, got {label!r}.")
        if not callable(strategy):
            raise ProfilerError(
                f"Strategy {label!r} is a {type(strategy).__name__}, not a callable: wrap it as "
                f"lambda n: ... taking the size n and returning the result (or a queryset)."
            )
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Iterable):
        raise ProfilerError(f"sizes must be a list of positive integers, got {sizes!r}.")
    size_list = list(sizes)
    if not size_list:
        raise ProfilerError("sizes is empty: pass positive integers, e.g. sizes=[10, 100, 1000].")
    bad = [s for s in size_list if isinstance(s, bool) or not isinstance(s, int) or s < 1]
    if bad:
        raise ProfilerError(
            f"sizes must be positive integers (e.g. [10, 100, 1000]); not {', '.join(map(repr, bad))}."
        )
    if len(set(size_list)) != len(size_list):
        raise ProfilerError(f"sizes has duplicates: {size_list!r}; list each size once.")
    if isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1:
        raise ProfilerError(f"repeat must be an integer >= 1 (timed runs per size), got {repeat!r}.")
    return dict(strategies), sorted(size_list)


def _materialise(value: Any) -> Any:
    """What a strategy returned, evaluated: a queryset or manager listed, an iterator consumed."""
    from django.db import models

    if isinstance(value, (models.QuerySet, models.Manager)):
        return list(value.all())
    if isinstance(value, Iterator):
        return list(value)
    return value


def _run(strategy: Callable[[int], Any], size: int) -> Any:
    return _materialise(strategy(size))


@contextmanager
def _savepoints(aliases: frozenset[str] | None) -> Iterator[None]:
    """Inside an open transaction, run the block in a savepoint so that a failing statement does
    not abort the transaction for the strategies after it (PostgreSQL). Outside one, nothing."""
    from django.db import connections, transaction

    with ExitStack() as stack:
        for connection in connections.all(initialized_only=True):
            if (aliases is None or connection.alias in aliases) and connection.in_atomic_block:
                stack.enter_context(transaction.atomic(using=connection.alias))
        yield


def compare(
    strategies: Strategies,
    sizes: Iterable[int] = DEFAULT_SIZES,
    repeat: int = 5,
    using: str | Iterable[str] | None = None,
    progress: bool = True,
) -> Comparison:
    """Run every strategy at every size: count its statements, time it, compare the results.

    ``strategies`` maps a label to a callable taking the size ``n``; it may return a queryset,
    which is listed (inside the timing). For each strategy and size, one warm-up run is captured
    (``profiler.capture(using=using, stacks=False)``) to count statements and keep the result;
    then ``repeat`` runs are timed with ``time.perf_counter``. Results are compared across
    strategies per size (``.mismatches``); a strategy that raises is reported in ``.failures``
    with its size while the rest still run. ``progress=False`` hides the tqdm progress bar.
    """
    table, size_list = _validate(strategies, sizes, repeat)
    aliases = resolve_aliases(using)
    rows: list[dict[str, Any]] = []
    captures: dict[tuple[str, int], Capture] = {}
    results: dict[tuple[str, int], Any] = {}
    failures: list[Failure] = []
    bar = _progress(len(table) * len(size_list), enabled=progress)
    try:
        for size in size_list:
            for label, strategy in table.items():
                bar.set_description(f"{label} n={size}")
                try:
                    with _savepoints(aliases), capture(using, stacks=False) as captured:
                        value = _run(strategy, size)
                    timings = []
                    for _ in range(repeat):
                        start = time.perf_counter()
                        _run(strategy, size)
                        timings.append(time.perf_counter() - start)
                except Exception as exc:
                    failures.append(Failure(label, size, exc, traceback.format_exc()))
                    bar.update(1)
                    continue
                value = normalise(value)
                captures[(label, size)] = captured
                results[(label, size)] = value
                statements = [q for q in captured if q.kind not in TRANSACTION_KINDS]
                rows.append(
                    {
                        "strategy": label,
                        "size": size,
                        "queries": len(statements),
                        "rows": _count_rows(value),
                        "median_ms": statistics.median(timings) * 1000,
                        "min_ms": min(timings) * 1000,
                    }
                )
                bar.update(1)
    finally:
        bar.close()
    order = {name: i for i, name in enumerate(table)}
    rows.sort(key=lambda r: (order[r["strategy"]], r["size"]))
    return Comparison(list(table), size_list, repeat, rows, captures, results, failures)


class _NoBar:
    def set_description(self, text: str) -> None:
        pass

    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, *, enabled: bool) -> Any:
    if not enabled:
        return _NoBar()
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="run", leave=False)
