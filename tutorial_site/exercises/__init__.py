"""Self-checking exercises for the notebooks: ``check(exercise_id, answer)``.

In a notebook, an exercise cell reads::

    # EXERCISE 01.1  (solution: %load solutions/01_1.py)
    answer = ...  # a queryset, or a function with no arguments that returns the result

    check("01.1", answer)

:func:`check` runs the answer under :func:`profiler.capture`, compares its result with the
reference solution's and counts the queries against the exercise's budget. It returns a
:class:`Result` whose text (shown by Jupyter) is one line::

    Exercise 01.2: PASS — 24 blogs, 1 query (target ≤ 1).
    Exercise 01.2: FAIL — returned 23 blogs instead of 24; 1 blog is missing: ('Smith LLC Blog', 0).
        The missing blogs are the ones without entries: ...
    Exercise 01.2: FAIL — right result, but 25 queries, target ≤ 1; the same query ran 24 times (an N+1).
    Exercise 01.2: NOT YET — replace the ... with your answer, then run the cell again.

A wrong result is described in plain words: how many rows are missing, extra, repeated or have wrong
values, with at most three of them. A cause is added only when the evidence shows it: when the rows
are exactly those a known :class:`Mistake` returns, or a diagnosis proves it from the rows.

An unanswered exercise (``None`` or ``...``) reports NOT YET and never raises, and neither does an
answer that raises (the FAIL line names the exception), so a notebook as committed has no errors.
The answer and the reference both run inside a transaction that is rolled back.

Adding exercises for notebook NN: create ``tutorial_site/exercises/nbNN.py`` and call
:func:`register` at import time; every ``nb*.py`` module in this package is imported on first use::

    from django.db.models import Count
    from tutorial_site.blog.models import Blog
    from tutorial_site.exercises import Exercise, Mistake, register

    register(Exercise(
        id="05.1",
        title="Blog names with their entry count",
        reference=lambda: Blog.objects.annotate(n=Count("entry")).values_list("name", "n"),
        max_queries=1,
        noun="blogs",
        key=lambda row: row[0],       # a row stands for its blog: wrong counts are "wrong values"
        mistakes=(                    # named only when a result has exactly these rows
            Mistake(lambda: Blog.objects.annotate(n=Count("entry__authors")).values_list("name", "n"),
                    "These numbers count (entry, author) pairs, ..."),
        ),
    ))

Reference and answer are evaluated the same way: a QuerySet is listed; a callable is called and,
if it returns a QuerySet, that is listed too; anything else is compared as it is. Rows are compared
by :func:`row_key` (model instances by model and primary key, dicts by items, tuples as they are).
The solution file ``notebooks/solutions/05_1.py`` holds the full text of the solved exercise cell.
"""

from .core import Exercise, Mistake, Result, check, exercises, get, register, row_key

__all__ = ["Exercise", "Mistake", "Result", "check", "exercises", "get", "register", "row_key"]
