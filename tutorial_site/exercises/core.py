"""Exercises, their registry, and :func:`check`: grades an answer by result and query count."""

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from .differences import (
    RowKey,
    describe,
    list_difference,
    order_difference,
    plural,
    repeats,
    row_key,
    same_rows,
    shape,
    value_difference,
)

Diagnosis = Callable[[Any, Any], "str | None"]
"""``(got, expected) -> cause or None``: names a cause that a property of the result proves."""

SqlRule = Callable[[list[Any]], "str | None"]
"""``(statements) -> problem or None``: what a right answer's SQL does that the exercise forbids."""

_TRANSACTION_KINDS = frozenset({"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})
_STATUS_TEXT = {"pass": "PASS", "fail": "FAIL", "not yet": "NOT YET"}


@dataclass(frozen=True)
class Mistake:
    """A wrong answer learners write, and its cause in their terms.

    ``answer`` is evaluated like an answer. :func:`check` names ``cause`` only when a wrong result
    has exactly the rows ``answer`` returns (each as many times, in any order): the explanation is
    given when the evidence shows it, never guessed from a count. The mistakes of one exercise must
    return different rows on the seed data, or one would be told the other's cause.
    """

    answer: Callable[[], Any]
    cause: str


@dataclass(frozen=True)
class Exercise:
    """One exercise: the reference answer, the query budget and how to explain mistakes.

    ``reference`` is evaluated like an answer (a QuerySet, or a callable with no arguments).
    ``noun`` names the rows in messages ("blogs"). ``ordered`` makes row order part of the answer.
    ``key`` names what a row stands for (e.g. ``lambda row: row[0]``, the blog's name), so a row with
    the right key and wrong numbers is reported as wrong values, not as one missing and one extra.
    ``mistakes`` are tried first, then ``diagnoses``; the first cause that fits is reported.
    ``budget_hint`` is added when the result is right but the answer runs too many queries.
    ``sql_rules`` then read the statements of a right answer within budget (profiler ``Query``
    records); the first problem one names fails it.
    """

    id: str
    title: str
    reference: Callable[[], Any]
    max_queries: int
    noun: str = "rows"
    ordered: bool = False
    key: RowKey | None = None
    mistakes: tuple[Mistake, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = ()
    budget_hint: str = ""
    sql_rules: tuple[SqlRule, ...] = ()

    def __post_init__(self) -> None:
        if not self.id or not isinstance(self.id, str):
            raise ValueError(f"An exercise id is a non-empty string like '03.2', got {self.id!r}.")
        if not callable(self.reference):
            raise TypeError(f"Exercise {self.id}: reference must be callable: {self.reference!r}.")
        if self.max_queries < 0:
            raise ValueError(f"Exercise {self.id}: max_queries must be >= 0: {self.max_queries}.")
        for mistake in self.mistakes:
            if not isinstance(mistake, Mistake) or not callable(mistake.answer):
                raise TypeError(f"Exercise {self.id}: mistakes are Mistake(answer, cause): {mistake!r}.")


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


def _cause(exercise: Exercise, got: Any, expected: Any) -> str | None:
    """The first known cause that fits ``got`` exactly: a mistake with the same rows, or a diagnosis."""
    for mistake in exercise.mistakes:
        run = _evaluate(mistake.answer)
        if run.error is None and _same_result(got, run.value):
            return mistake.cause
    for diagnosis in exercise.diagnoses:
        try:
            cause = diagnosis(got, expected)
        except Exception:  # a diagnosis that cannot read an unexpected shape stays silent
            cause = None
        if cause:
            return cause
    return None


def _same_result(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return same_rows(a, b)
    return row_key(a) == row_key(b)


def _difference(exercise: Exercise, got: Any, expected: Any) -> str | None:
    """None when ``got`` is right, else what differs, in plain words (no cause)."""
    noun = exercise.noun
    if not isinstance(expected, list):
        return None if _same_result(got, expected) else value_difference(got, expected)
    if not isinstance(got, list):
        return f"returned {describe(got)}, expected a list of {noun} (a queryset or a list)"
    if got and expected and shape(got[0]) != shape(expected[0]):
        return f"rows are {shape(got[0])}, expected {shape(expected[0])}"
    if same_rows(got, expected):
        wrong_order = order_difference(got, expected) if exercise.ordered else None
        return f"the right {noun} in the wrong order: {wrong_order}" if wrong_order else None
    what = list_difference(got, expected, noun, exercise.key)
    if len(got) == len(expected):
        return f"returned {plural(len(got), noun)} as expected, but {what}"
    if repeats(got, exercise.key) and not repeats(expected, exercise.key):
        return f"returned {plural(len(got), 'rows')} instead of {plural(len(expected), noun)}; {what}"
    return f"returned {plural(len(got), noun)} instead of {len(expected):,}; {what}"


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
    wrong = _difference(exercise, run.value, reference.value)
    if wrong is not None:
        cause = _cause(exercise, run.value, reference.value)
        return Result(exercise.id, "fail", wrong + (f". {cause}" if cause else "") + ".", count)
    size = plural(len(run.value), exercise.noun) if isinstance(run.value, list) else "right result"
    size += ", "
    budget = f"target ≤ {exercise.max_queries}"
    if count > exercise.max_queries:
        reason = f"right result, but {plural(count, 'queries')}, {budget}"
        repeated = max(run.similar, key=len, default=[])
        if len(repeated) > 2:
            reason += f"; the same query ran {len(repeated)} times (an N+1)"
        if exercise.budget_hint:
            reason += f": {exercise.budget_hint}"
        return Result(exercise.id, "fail", reason + ".", count)
    for rule in exercise.sql_rules:
        problem = rule(run.queries)
        if problem:
            return Result(
                exercise.id, "fail", f"right result in {plural(count, 'queries')}, but {problem}.", count
            )
    return Result(exercise.id, "pass", f"{size}{plural(count, 'queries')} ({budget}).", count)
