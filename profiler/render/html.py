"""HTML views of a capture: ``capture._repr_html_()``, the ``%%queries`` report and N+1 findings.

Written for JupyterLab (whose stylesheet gives tables ``table-layout: fixed``), classic Notebook and
VS Code, light or dark: the statement table sets its own column widths, so the SQL gets most of the
width and the short columns stay narrow; formatted SQL wraps only at spaces and long statements fold.
Inline styles only (:mod:`profiler.render.style`), no scripts, every piece of text escaped.
"""

import re
from collections.abc import Sequence
from functools import partial
from html import escape as _escape
from typing import Any

from . import style
from .highlight import sql_lines
from .text import duration_text, n_plus_one_findings, short_params, summary

# Text in element content: only <, > and & need escaping (attribute values never come from data).
escape = partial(_escape, quote=False)

ROWS_OPEN = 25  # statements shown before the rest is folded away
ROWS_MAX = 500  # statements rendered at all; the frame has every one
SQL_LINES_OPEN = 8  # formatted SQL longer than this (and one more line) folds
UNFORMATTED_CHARS = 80  # ``sql=False`` shows this much of each statement

# (header, <col> width); the SQL column has no width: it takes what the others leave.
NUMBER_COLUMN = ("#", "3em")
ALIAS_COLUMN = ("alias", "6.5em")
KIND_COLUMN = ("kind", "6.5em")
TIME_COLUMN = ("time", "6em")
SQL_COLUMN = ("SQL", "")
SITE_COLUMN = ("call site", "22%")


def pre(body_html: str) -> str:
    """``body_html`` in a ``<pre>`` that wraps only at spaces and scrolls what cannot wrap."""
    return f'<pre style="{style.PRE}">{body_html}</pre>'


def _details(label: str, body_html: str) -> str:
    return f'<details><summary style="{style.SUMMARY}">{escape(label)}</summary>{body_html}</details>'


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _muted(text_html: str) -> str:
    return f'<span style="{style.MUTED}">{text_html}</span>'


_AFTER_DOT = re.compile(r"(\.(?=[A-Za-z_])|,(?=\S))")
_BEFORE_CALL = re.compile(r"(?<=\w)(?=[(\[])")


def python_html(code: str) -> str:
    """A line of Python, escaped, with line-break opportunities (``<wbr>``) after each ``.`` and ``,``
    and before each call or subscript: a narrow column wraps it between names, never inside one."""
    return _BEFORE_CALL.sub("<wbr>", _AFTER_DOT.sub(r"\1<wbr>", escape(code)))


def _code(text: str) -> str:
    return f'<code style="{style.CODE}">{escape(text)}</code>'


def _location(frame: Any) -> str:
    """``path:line in function`` as code, free to wrap after each ``/`` of the path."""
    return f'<code style="{style.CODE}">{escape(str(frame)).replace("/", "/<wbr>")}</code>'


def _sql_html(query: Any, sql: bool) -> str:
    if not sql:
        text = query.sql
        if len(text) > UNFORMATTED_CHARS:
            text = text[: UNFORMATTED_CHARS - 3] + "..."
        return pre(escape(text))
    lines = sql_lines(query.sql)
    if len(lines) <= SQL_LINES_OPEN + 1:
        return pre("".join(lines))
    rest = len(lines) - SQL_LINES_OPEN
    return pre("".join(lines[:SQL_LINES_OPEN])) + _details(
        _count(rest, "more line"), pre("".join(lines[SQL_LINES_OPEN:]))
    )


def _sql_cell(query: Any, sql: bool) -> str:
    cell = _sql_html(query, sql)
    if query.params:
        params = short_params(query.params, limit=2000)
        body = pre(_muted("params ") + escape(params))
        cell += body if len(params) <= UNFORMATTED_CHARS else _details("params", body)
    if query.error is not None:
        cell += (
            f'<div style="color:{style.ERROR};font-weight:bold">raised '
            f"{escape(type(query.error).__name__)}: {escape(str(query.error))}</div>"
        )
    return cell


def _site_cell(query: Any, previous: Any) -> str:
    """Where the statement came from; only the location when the row above came from there too."""
    origin = query.origin
    if origin is None:
        return _muted("(no user frame)")
    if previous is not None and origin == previous.origin and query.stack[1:] == previous.stack[1:]:
        return _muted(_location(origin) + " (same as above)")
    cell = _location(origin)
    code = origin.code
    if code:
        cell += pre(python_html(code))
    outer = query.stack[1:]
    if outer:
        cell += _details(_count(len(outer), "outer frame"), pre(escape("\n".join(map(str, outer)))))
    return cell


def _kind_cell(query: Any) -> str:
    kind = escape(query.kind)
    return f"{kind}<br>{_muted('executemany')}" if query.many else kind


def _columns(aliases: bool) -> list[tuple[str, str]]:
    narrow = [NUMBER_COLUMN, ALIAS_COLUMN, KIND_COLUMN] if aliases else [NUMBER_COLUMN, KIND_COLUMN]
    return [*narrow, TIME_COLUMN, SQL_COLUMN, SITE_COLUMN]


def _row(index: int, query: Any, previous: Any, sql: bool, aliases: bool) -> str:
    cells = [(style.NUMBER_CELL, str(index))]
    if aliases:
        cells.append((style.NARROW_CELL, escape(query.alias)))
    cells += [
        (style.NARROW_CELL, _kind_cell(query)),
        (style.NUMBER_CELL, escape(duration_text(query.duration))),
        (style.CELL, _sql_cell(query, sql)),
        (style.CELL, _site_cell(query, previous)),
    ]
    return "<tr>" + "".join(f'<td style="{css}">{html}</td>' for css, html in cells) + "</tr>"


def _table(rows: list[str], aliases: bool) -> str:
    columns = _columns(aliases)
    cols = "".join(f'<col style="width:{width}">' if width else "<col>" for _, width in columns)
    head = "".join(f'<th style="{style.HEAD}">{name}</th>' for name, _ in columns)
    return (
        f'<table style="{style.TABLE}"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def finding_html(finding: Any) -> str:
    """One N+1 finding: the relation, how often and where it loaded, and the fix, as code."""
    relation = getattr(finding, "relation", None)
    if relation is None:
        return escape(str(finding))
    via = f" (via {_code(finding.via)})" if finding.via else ""
    where = f" at {_code(str(finding.site))}" if finding.site else ""
    note = f"<br>{_muted(escape(finding.note))}" if finding.note else ""
    return (
        f"<strong>N+1</strong> {_code(relation)}{via} loaded {_count(finding.count, 'time')}{where}"
        f" — fix: {_code(finding.fix)}{note}"
    )


def render_findings(findings: Sequence[Any]) -> str:
    """N+1 findings as a tinted list, most statements first (as given)."""
    items = "".join(f"<li>{finding_html(finding)}</li>" for finding in findings)
    return f'<div style="{style.tinted(style.WARN_RGB)}"><ul style="{style.LIST}">{items}</ul></div>'


def render_plans(plans: Sequence[tuple[int, str]]) -> str:
    """``EXPLAIN`` output per statement number."""
    return "".join(
        f'<p style="{style.PARAGRAPH}"><strong>EXPLAIN [{index}]</strong></p>{pre(escape(plan))}'
        for index, plan in plans
    )


def render_capture(
    capture: Any,
    *,
    sql: bool = True,
    findings: Sequence[Any] | None = None,
    plans: Sequence[tuple[int, str]] = (),
) -> str:
    """The summary line, N+1 findings with their fixes, a table of the statements, then ``plans``.

    ``sql=False`` shows each statement's first 80 characters, unformatted. ``findings`` defaults
    to ``capture.n_plus_one()``. An alias column appears when statements ran on several aliases.
    """
    if findings is None:
        findings = n_plus_one_findings(capture)
    parts = [
        f'<div class="profiler-capture" style="{style.BOX}">',
        f'<p style="{style.PARAGRAPH}"><strong>{escape(summary(capture, findings))}</strong></p>',
    ]
    if findings:
        parts.append(render_findings(findings))
    queries = list(capture)[:ROWS_MAX]
    if queries:
        aliases = len({query.alias for query in queries}) > 1
        rows = [
            _row(index, query, queries[index - 2] if index > 1 else None, sql, aliases)
            for index, query in enumerate(queries, 1)
        ]
        parts.append(_table(rows[:ROWS_OPEN], aliases))
        if len(rows) > ROWS_OPEN:
            more = _table(rows[ROWS_OPEN:], aliases)
            parts.append(_details(f"{len(rows) - ROWS_OPEN} more statements", more))
        if len(capture) > ROWS_MAX:
            parts.append(
                f'<p style="{style.PARAGRAPH};{style.MUTED}">{len(capture) - ROWS_MAX} more statements '
                "not shown; <code>capture.to_frame()</code> has every one.</p>"
            )
    parts.append(render_plans(plans))
    parts.append("</div>")
    return "".join(parts)
