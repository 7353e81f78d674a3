"""Plain-text rendering of a capture: ``str(capture)``, assertion messages, the IPython magic."""

from collections.abc import Iterable, Sequence
from typing import Any

from ..fingerprint import format_sql

PARAMS_LIMIT = 200


def n_plus_one_findings(capture: Any, threshold: int = 2) -> list[Any] | None:
    """``capture.n_plus_one(threshold)``, or ``None`` when N+1 analysis is not available."""
    try:
        return list(capture.n_plus_one(threshold=threshold))
    except (ImportError, AttributeError):
        return None


def describe_finding(finding: Any) -> str:
    """One finding as text: what it says, then its fix when it has one not already said."""
    text = str(finding)
    fix = getattr(finding, "fix", None)
    if fix and str(fix) not in text:
        text = f"{text} -- fix: {fix}"
    return text


def short_params(params: Any, limit: int = PARAMS_LIMIT) -> str:
    """``repr(params)`` cut to ``limit`` characters."""
    text = repr(params)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def duration_text(seconds: float, digits: int = 2) -> str:
    """A duration in milliseconds with its unit, e.g. ``0.19 ms``: never a bare number, so
    readers know the unit and output sanitizers (which match a number followed by a unit) catch it.
    """
    return f"{seconds * 1000:.{digits}f} ms"


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def summary(capture: Any, findings: Sequence[Any] | None = None) -> str:
    """``N queries in X ms`` with the duplicate, similar and N+1 counts when there are some."""
    parts = [f"{_plural(len(capture), 'query', 'queries')} in {duration_text(capture.total_time, 1)}"]
    duplicates = capture.duplicates()
    if duplicates:
        count = sum(len(g) for g in duplicates)
        parts.append(f"{_plural(count, 'duplicate')} in {_plural(len(duplicates), 'group')}")
    similar = capture.similar()
    if similar:
        count = sum(len(g) for g in similar)
        parts.append(f"{count} similar in {_plural(len(similar), 'group')}")
    if findings:
        parts.append(f"{_plural(len(findings), 'N+1 finding')}")
    aliases = capture.by_alias()
    if len(aliases) > 1:
        parts.append("on " + ", ".join(f"{a} ({len(qs)})" for a, qs in aliases.items()))
    return ", ".join(parts)


def render_query(index: int, query: Any, *, sql: bool = True, stack: bool = False) -> list[str]:
    """The lines for one statement: a header with alias, kind, time and call site, then the SQL."""
    where = f"  at {query.origin}" if query.origin else ""
    many = " executemany" if query.many else ""
    lines = [f"[{index}] {query.alias} {query.kind}{many} {duration_text(query.duration)}{where}"]
    if query.error is not None:
        lines.append(f"    raised {type(query.error).__name__}: {query.error}")
    if sql:
        lines.extend("    " + line for line in format_sql(query.sql).splitlines())
        if query.params:
            lines.append(f"    params: {short_params(query.params)}")
    if stack:
        lines.extend(f"      from {frame}" for frame in query.stack[1:])
    return lines


def render_queries(queries: Iterable[Any], *, sql: bool = True, stack: bool = False) -> list[str]:
    lines: list[str] = []
    for index, query in enumerate(queries, 1):
        lines.extend(render_query(index, query, sql=sql, stack=stack))
    return lines


def render_findings(findings: Sequence[Any]) -> list[str]:
    lines = [describe_finding(finding) for finding in findings]
    return [line if line.startswith("N+1") else f"N+1: {line}" for line in lines]


def render_capture(capture: Any, *, sql: bool = True, n_plus_one: bool = True) -> str:
    """The summary line, the N+1 findings, then each statement with its call site and SQL."""
    findings = n_plus_one_findings(capture) if n_plus_one else None
    lines = [summary(capture, findings)]
    lines.extend(render_findings(findings or []))
    lines.extend(render_queries(capture, sql=sql))
    return "\n".join(lines)
