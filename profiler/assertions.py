"""Context managers for tests: fail with every statement's call site and every N+1 fix.

    with profiler.assert_max_queries(2):
        render_blog_page()

    with profiler.assert_no_n_plus_one():
        [e.blog.name for e in Entry.objects.select_related("blog")]

They work in pytest and in ``django.test.TestCase`` alike (plain ``AssertionError``).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .capture import Capture, capture
from .render.text import describe_finding, render_queries

Using = str | Iterable[str] | None


@contextmanager
def assert_max_queries(n: int, using: Using = None) -> Iterator[Capture]:
    """Fail with ``AssertionError`` if the block runs more than ``n`` statements (on ``using``).

    The message lists each statement with its call site. Yields the open capture.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(
            f"assert_max_queries(n) needs a whole number of statements >= 0, got {n!r}; "
            "use 0 to assert that the block runs no SQL at all."
        )
    __tracebackhide__ = True  # pytest shows the test's line, not this one
    with capture(using) as captured:
        yield captured
    if len(captured) > n:
        lines = [f"Expected at most {n} {'query' if n == 1 else 'queries'}, {len(captured)} were executed:"]
        lines.extend(render_queries(captured))
        raise AssertionError("\n".join(lines))


@contextmanager
def assert_no_n_plus_one(using: Using = None, threshold: int = 2) -> Iterator[Capture]:
    """Fail with ``AssertionError`` if the block has N+1 findings (``threshold`` repeats or more).

    The message lists each finding with its fix, then the statements. Yields the open capture.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 2:
        raise ValueError(
            f"assert_no_n_plus_one(threshold=...) needs a whole number >= 2 (how many lazy loads "
            f"of one field make an N+1), got {threshold!r}."
        )
    __tracebackhide__ = True  # pytest shows the test's line, not this one
    with capture(using) as captured:
        yield captured
    findings = captured.n_plus_one(threshold=threshold)
    if findings:
        lines = [f"{len(findings)} N+1 {'finding' if len(findings) == 1 else 'findings'}:"]
        lines.extend(f"- {describe_finding(finding)}" for finding in findings)
        lines.append(f"The {len(captured)} statements executed:")
        lines.extend(render_queries(captured, sql=False))
        raise AssertionError("\n".join(lines))
