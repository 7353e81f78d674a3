"""Exercises, their registry, and :func:`check`: grades an answer by result and query count."""

import importlib
import pkgutil
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

Diagnosis = Callable[[Any, Any], "str | None"]
"""``(got, expected) -> reason or None``: explains a wrong result in the learner's terms."""

_TRANSACTION_KINDS = frozenset({"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})
_STATUS_TEXT = {"pass": "PASS", "fail": "FAIL", "not yet": "NOT YET"}


@dataclass(frozen=True)
class Exercise:
    """One exercise: the reference answer, the query budget and how to explain mistakes.

    ``reference`` is evaluated like an answer (a QuerySet, or a callable with no arguments).
    ``noun`` names the rows in messages ("blogs"). ``ordered`` makes row order part of the answer.
    ``diagnoses`` are tried in order on a wrong result; the first non-None reason is reported.
    ``budget_hint`` is added when the result is right but the answer runs too many queries.
    """

    id: str
    title: str
    reference: Callable[[], Any]
    max_queries: int
    noun: str = "rows"
    ordered: bool = False
    diagnoses: tuple[Diagnosis, ...] = ()
    budget_hint: str = ""

    def __post_init__(self) -> None:
        if not self.id or not isinstance(self.id, str):
            raise ValueError(f"An exercise id is a non-empty string like '03.2', got {self.id!r}.")
        if not callable(self.reference):
            raise TypeError(f"Exercise {self.id}: reference must be callable: {self.reference!r}.")
        if self.max_queries < 0:
            raise ValueError(f"Exercise {self.id}: max_queries must be >= 0: {self.max_queries}.")


@dataclass(frozen=True)
class Result:
    """The verdict of :func:`check`; ``str()`` and the notebook display show it as one line."""

    exercise_id: str
    status: str  # "pass", "fail" or "not yet"
    reason: str
    queries: int | None = None
    error: BaseException | None = None

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return f"Exercise {self.exercise_id}: {_STATUS_TEXT[self.status]} — {self.reason}"

    __repr__ = __str__


_REGISTRY: dict[str, Exercise] = {}
_discovered = False


def register(exercise: Exercise) -> Exercise:
    """Add ``exercise`` to the registry (re-registering the same id replaces it); returns it."""
    if not isinstance(exercise, Exercise):
        raise TypeError(f"register() takes an Exercise, got {type(exercise).__name__}.")
    _REGISTRY[exercise.id] = exercise
    return exercise


def _discover() -> None:
    """Import every ``nb*`` module of this package once, so that they register their exercises."""
    global _discovered
    if _discovered:
        return
    package = importlib.import_module(__package__)
    for module in pkgutil.iter_modules(package.__path__):
        if module.name.startswith("nb"):
            importlib.import_module(f"{__package__}.{module.name}")
    _discovered = True


def exercises() -> dict[str, Exercise]:
    """Every registered exercise by id, sorted by id."""
    _discover()
    return dict(sorted(_REGISTRY.items()))


def get(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id``; ``ValueError`` naming the known ids when there is none."""
    known = exercises()
    if exercise_id not in known:
        raise ValueError(
            f"There is no exercise {exercise_id!r}. Known exercises: {', '.join(known) or 'none'}."
        )
    return known[exercise_id]


# -- evaluation ---------------------------------------------------------------------------------
@dataclass
class _Run:
    value: Any
    queries: list[Any]
    similar: list[list[Any]]
    error: BaseException | None = None


def _materialise(value: Any) -> Any:
    if isinstance(value, models.QuerySet):
        return list(value.all())  # .all(): a fresh clone, never a result cache filled earlier
    if isinstance(value, (models.Manager,)):
        return list(value.all())
    if isinstance(value, (list, tuple)) or (
        isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict))
    ):
        return list(value)
    return value


def _evaluate(answer: Any) -> _Run:
    """Run ``answer`` (QuerySet or callable) under a capture, inside a rolled-back transaction."""
    import profiler
    from tutorial_site.lesson import sandbox

    with sandbox(), profiler.capture(stacks=False) as captured:
        try:
            called = callable(answer) and not isinstance(answer, models.Manager)
            value = _materialise(answer() if called else answer)
            error = None
        except Exception as exc:  # the learner's bug is reported, not raised
            value, error = None, exc
    queries = [q for q in captured if q.kind not in _TRANSACTION_KINDS]
    similar = [g for g in captured.similar() if g[0].kind not in _TRANSACTION_KINDS]
    return _Run(value, queries, similar, error)


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


def _describe(row: Any) -> str:
    text = str(row) if isinstance(row, models.Model) else repr(row)
    return text if len(text) <= 60 else text[:57] + "..."


def _shape(row: Any) -> str:
    if isinstance(row, models.Model):
        return f"{type(row).__name__} objects"
    if isinstance(row, dict):
        return f"dicts with keys {sorted(row)}"
    if isinstance(row, tuple):
        return f"tuples of {len(row)}"
    return f"{type(row).__name__} values"


def _plural(n: int, word: str) -> str:
    """``3 blogs``, ``1 blog``, ``1 query``, ``2 queries``."""
    if n == 1:
        word = word[:-3] + "y" if word.endswith("ies") else word.removesuffix("s")
    return f"{n} {word}"


def _compare(exercise: Exercise, got: Any, expected: Any) -> str | None:
    """None when ``got`` matches ``expected``, else why not."""
    noun = exercise.noun
    if isinstance(expected, list):
        if not isinstance(got, list):
            return f"returned {_describe(got)}, expected a list of {noun} (a queryset or a list)"
        if got and expected and _shape(got[0]) != _shape(expected[0]):
            return f"rows are {_shape(got[0])}, expected {_shape(expected[0])}"
        got_keys = [row_key(r) for r in got]
        expected_keys = [row_key(r) for r in expected]
        if Counter(got_keys) == Counter(expected_keys):
            if exercise.ordered and got_keys != expected_keys:
                pairs = enumerate(zip(got_keys, expected_keys, strict=True))
                at = next(i for i, (a, b) in pairs if a != b)
                return (
                    f"the right {noun} in the wrong order: row {at + 1} is {_describe(got[at])}, "
                    f"expected {_describe(expected[at])}"
                )
            return None
        reason = _diagnose(exercise, got, expected)
        if reason is None:
            reason = _difference(noun, got, got_keys, expected, expected_keys)
        if len(got) != len(expected):
            return f"returned {_plural(len(got), noun)}, expected {len(expected)}: {reason}"
        return f"returned the wrong {noun}: {reason}"
    if row_key(got) == row_key(expected):
        return None
    reason = _diagnose(exercise, got, expected)
    return f"returned {_describe(got)}, expected {_describe(expected)}" + (f": {reason}" if reason else "")


def _diagnose(exercise: Exercise, got: Any, expected: Any) -> str | None:
    for diagnosis in exercise.diagnoses:
        try:
            reason = diagnosis(got, expected)
        except Exception:  # a diagnosis that cannot read an unexpected shape stays silent
            reason = None
        if reason:
            return reason
    return None


def _difference(noun: str, got: list, got_keys: list, expected: list, expected_keys: list) -> str:
    missing = Counter(expected_keys) - Counter(got_keys)
    extra = Counter(got_keys) - Counter(expected_keys)
    parts = []
    if missing:
        example = next(r for r, k in zip(expected, expected_keys, strict=True) if k in missing)
        parts.append(f"{sum(missing.values())} missing (e.g. {_describe(example)})")
    if extra:
        example = next(r for r, k in zip(got, got_keys, strict=True) if k in extra)
        key = row_key(example)
        duplicate = Counter(got_keys)[key] > 1 and key in Counter(expected_keys)
        what = "duplicated" if duplicate else "unexpected"
        parts.append(f"{sum(extra.values())} {what} (e.g. {_describe(example)})")
    return ", ".join(parts) or f"the {noun} differ"


def check(exercise_id: str, answer: Any) -> Result:
    """Grade ``answer`` for exercise ``exercise_id``: right result within the query budget.

    ``answer`` is a QuerySet or a callable with no arguments; ``None`` or ``...`` means not
    answered yet. Never raises for a wrong or failing answer; raises ``ValueError`` for an
    unknown exercise id.
    """
    exercise = get(exercise_id)
    if answer is None or answer is Ellipsis:
        return Result(exercise.id, "not yet", "replace the ... with your answer, then run the cell again.")
    if not (callable(answer) or isinstance(answer, models.QuerySet)):
        return Result(
            exercise.id,
            "fail",
            f"got an already computed {type(answer).__name__}; pass the queryset itself or a "
            "function with no arguments (e.g. lambda: ...), so its queries can be counted.",
        )
    reference = _evaluate(exercise.reference)
    if reference.error is not None:
        raise RuntimeError(f"Exercise {exercise.id}: the reference answer failed: {reference.error!r}")
    run = _evaluate(answer)
    count = len(run.queries)
    if run.error is not None:
        error = run.error
        return Result(exercise.id, "fail", f"the answer raised {type(error).__name__}: {error}", count, error)
    if callable(answer) and run.value is None and reference.value is not None:
        return Result(exercise.id, "fail", "your function returned None: add a return statement.", count)
    wrong = _compare(exercise, run.value, reference.value)
    if wrong is not None:
        return Result(exercise.id, "fail", wrong + ".", count)
    size = _plural(len(run.value), exercise.noun) if isinstance(run.value, list) else "right result"
    size += ", "
    budget = f"target ≤ {exercise.max_queries}"
    if count > exercise.max_queries:
        reason = f"right result, but {_plural(count, 'queries')}, {budget}"
        repeated = max(run.similar, key=len, default=[])
        if len(repeated) > 2:
            reason += f"; the same query ran {len(repeated)} times (an N+1)"
        if exercise.budget_hint:
            reason += f": {exercise.budget_hint}"
        return Result(exercise.id, "fail", reason + ".", count)
    return Result(exercise.id, "pass", f"{size}{_plural(count, 'queries')} ({budget}).", count)
