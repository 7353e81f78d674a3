"""What the ORM findings panel shows for one request, as plain JSON data: :func:`orm_findings`.

The toolbar stores each panel's stats between requests (serialised to JSON), so everything here is
made of strings, numbers, lists and dicts. Pure: reads a finished capture, no database access.
The stats are made while the request is answered, so SQL is kept on one line here and laid out
for reading only when the panel is shown (:func:`for_display`).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from profiler.capture import Capture
from profiler.fingerprint import format_sql
from profiler.records import Frame, Query
from profiler.render.text import short_params

from .template_lines import TemplateLine

Stats = dict[str, Any]


def _site(frame: Frame | None) -> dict[str, Any] | None:
    if frame is None:
        return None
    return {"where": str(frame), "code": frame.code}


def _template(line: TemplateLine | None) -> dict[str, Any] | None:
    if line is None:
        return None
    return {"name": line.template, "line": line.line, "source": line.source, "where": str(line)}


def _first_line(queries: Iterable[Query], lines: Mapping[int, TemplateLine]) -> TemplateLine | None:
    return next((lines[id(q)] for q in queries if id(q) in lines), None)


def _n_plus_one(capture: Capture, lines: Mapping[int, TemplateLine]) -> list[dict[str, Any]]:
    findings = []
    for finding in capture.n_plus_one():
        findings.append(
            {
                "relation": finding.relation,
                "kind": finding.kind,
                "count": finding.count,
                "via": finding.via,
                "fix": finding.fix,
                "note": finding.note,
                "site": _site(finding.site),
                "template": _template(_first_line(finding.queries, lines)),
                "sql": finding.queries[0].fingerprint if finding.queries else finding.sql,
            }
        )
    return findings


def _unused(capture: Capture) -> list[dict[str, Any]]:
    return [
        {
            "model": unused.model,
            "path": unused.path,
            "method": unused.method,
            "call": f"{unused.method}('{unused.path}')",
            "advice": unused.advice,
            "evaluations": unused.evaluations,
            "site": _site(unused.site),
        }
        for unused in capture.unused_eager_loads()
    ]


def _duplicates(capture: Capture, lines: Mapping[int, TemplateLine]) -> list[dict[str, Any]]:
    groups = []
    for group in sorted(capture.duplicates(), key=lambda g: -len(g)):
        first = group[0]
        sites = list(dict.fromkeys(str(q.origin) for q in group if q.origin is not None))
        groups.append(
            {
                "alias": first.alias,
                "count": len(group),
                "sql": first.sql,
                "params": short_params(first.params),
                "sites": sites,
                "template": _template(_first_line(group, lines)),
            }
        )
    return groups


def _aliases(capture: Capture, aliases: Iterable[str]) -> list[dict[str, Any]]:
    by_alias = capture.by_alias()
    rows = []
    for alias in sorted({*aliases, *by_alias}):
        queries = by_alias.get(alias, [])
        rows.append(
            {
                "alias": alias,
                "count": len(queries),
                "time_ms": round(sum(q.duration for q in queries) * 1000, 3),
            }
        )
    return rows


def orm_findings(
    capture: Capture, lines: Mapping[int, TemplateLine] | None = None, aliases: Iterable[str] = ()
) -> Stats:
    """The panel's stats for ``capture``: N+1 findings (with ``lines`` of :class:`TemplateLines`
    where a template ran them), unused eager loads, duplicates, and statements per alias (every
    alias in ``aliases`` is listed, with 0 when it ran nothing)."""
    lines = lines or {}
    n_plus_one = _n_plus_one(capture, lines)
    unused = _unused(capture)
    duplicates = _duplicates(capture, lines)
    return {
        "total": len(capture),
        "n_plus_one": n_plus_one,
        "unused_eager_loads": unused,
        "duplicates": duplicates,
        "duplicate_statements": sum(group["count"] for group in duplicates),
        "aliases": _aliases(capture, aliases),
    }


def for_display(stats: Stats) -> Stats:
    """A copy of ``stats`` with each SQL text laid out on several lines (sqlparse), to show."""
    shown = dict(stats)
    for key in ("n_plus_one", "duplicates"):
        shown[key] = [{**item, "sql": format_sql(item["sql"])} for item in stats.get(key, [])]
    return shown
