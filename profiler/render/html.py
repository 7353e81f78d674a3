"""HTML rendering of a capture for JupyterLab: ``capture._repr_html_()``.

Self-contained: inline styles only (no ``<style>`` block, no scripts), every piece of text escaped.
SQL is formatted with sqlparse and highlighted with Pygments when it is installed.
"""

from functools import lru_cache
from html import escape
from typing import Any

from ..fingerprint import format_sql
from .text import describe_finding, duration_text, n_plus_one_findings, short_params, summary

ROWS_OPEN = 25  # statements shown before the rest is folded away
ROWS_MAX = 500  # statements rendered at all; the frame has every one
SQL_LINES_OPEN = 6  # formatted SQL longer than this is collapsible

# Inline styles only, kept short: they repeat on every cell of a long table.
_BOX = "font-family:var(--jp-content-font-family,sans-serif);font-size:13px"
_TABLE = "border-collapse:collapse;width:100%;font-size:12px"
_CELL = "border-top:1px solid #8884;padding:2px 6px;text-align:left;vertical-align:top"
_HEAD = "padding:2px 6px;text-align:left;font-weight:bold"
_PRE = (
    "margin:0;white-space:pre-wrap;word-break:break-word;text-align:left;"
    "font-family:var(--jp-code-font-family,monospace);font-size:12px"
)
_SUMMARY = "cursor: pointer;"
_ERROR = "color: #c00; font-weight: bold;"
_MUTED = "opacity: 0.7;"


@lru_cache(maxsize=1024)
def highlight_sql(sql: str) -> str:
    """Formatted, highlighted SQL as HTML (escaped plain text when Pygments is missing)."""
    text = format_sql(sql)
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import SqlLexer
    except ImportError:
        return escape(text)
    highlighted: str = highlight(text, SqlLexer(), HtmlFormatter(nowrap=True, noclasses=True))
    return highlighted.rstrip("\n")


def _pre(body_html: str) -> str:
    return f'<pre style="{_PRE}">{body_html}</pre>'


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _details(label: str, body_html: str) -> str:
    return f'<details><summary style="{_SUMMARY}">{escape(label)}</summary>{body_html}</details>'


def _sql_cell(query: Any, sql: bool) -> str:
    if not sql:
        html = escape(query.sql if len(query.sql) <= 80 else query.sql[:77] + "...")
    else:
        html = highlight_sql(query.sql)
    lines = html.split("\n")
    if len(lines) <= SQL_LINES_OPEN:
        cell = _pre(html)
    else:
        head = "\n".join(lines[:SQL_LINES_OPEN])
        cell = _pre(head) + _details(
            _count(len(lines) - SQL_LINES_OPEN, "more line"), _pre("\n".join(lines[SQL_LINES_OPEN:]))
        )
    if query.params:
        params = short_params(query.params, limit=2000)
        body = _pre(escape(params))
        cell += body if len(params) <= 80 else _details("params", body)
    if query.error is not None:
        cell += (
            f'<div style="{_ERROR}">raised {escape(type(query.error).__name__)}: '
            f"{escape(str(query.error))}</div>"
        )
    return cell


def _site_cell(query: Any) -> str:
    origin = query.origin
    if origin is None:
        return f'<span style="{_MUTED}">(no user frame)</span>'
    cell = f"<code>{escape(str(origin))}</code>"
    code = origin.code
    if code:
        cell += _pre(escape(code))
    outer = query.stack[1:]
    if outer:
        cell += _details(
            _count(len(outer), "outer frame"), _pre(escape("\n".join(str(frame) for frame in outer)))
        )
    return cell


def _row(index: int, query: Any, sql: bool) -> str:
    many = " (many)" if query.many else ""
    cells = [
        str(index),
        escape(query.alias),
        escape(query.kind + many),
        escape(duration_text(query.duration)),
        _sql_cell(query, sql),
        _site_cell(query),
    ]
    return "<tr>" + "".join(f'<td style="{_CELL}">{cell}</td>' for cell in cells) + "</tr>"


def _table(rows: list[str]) -> str:
    head = "".join(
        f'<th style="{_HEAD}">{name}</th>' for name in ("#", "alias", "kind", "time", "SQL", "call site")
    )
    body = "".join(rows)
    return f'<table style="{_TABLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _findings(findings: list[Any]) -> str:
    items = "".join(f"<li>{escape(describe_finding(finding))}</li>" for finding in findings)
    return f'<ul style="margin: 4px 0;">{items}</ul>'


def render_capture(capture: Any, *, sql: bool = True, findings: list[Any] | None = None) -> str:
    """The summary line, N+1 findings with their fixes, then a table of the statements.

    ``sql=False`` shows each statement's first 80 characters, unformatted. ``findings`` defaults
    to ``capture.n_plus_one()``.
    """
    if findings is None:
        findings = n_plus_one_findings(capture)
    parts = [
        f'<div class="profiler-capture" style="{_BOX}">',
        f"<p><strong>{escape(summary(capture, findings))}</strong></p>",
    ]
    if findings:
        parts.append(_findings(findings))
    queries = list(capture)[:ROWS_MAX]
    if queries:
        rows = [_row(index, query, sql) for index, query in enumerate(queries, 1)]
        parts.append(_table(rows[:ROWS_OPEN]))
        if len(rows) > ROWS_OPEN:
            parts.append(_details(f"{len(rows) - ROWS_OPEN} more statements", _table(rows[ROWS_OPEN:])))
        if len(capture) > ROWS_MAX:
            parts.append(
                f'<p style="{_MUTED}">{len(capture) - ROWS_MAX} more statements not shown; '
                "<code>capture.to_frame()</code> has every one.</p>"
            )
    parts.append("</div>")
    return "".join(parts)
