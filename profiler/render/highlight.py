"""SQL as HTML: formatted by sqlparse, coloured by token type, one block per clause with a hanging indent.

sqlparse is the profiler's own dependency, so highlighting needs nothing else. Identifiers keep the
text colour; keywords, literals, placeholders and comments take the theme's editor colours
(:mod:`profiler.render.style`).

Each clause (``SELECT ...``, ``FROM ...``, ``AND ...``) is one block, left to wrap at the width the
notebook gives it: only at spaces, never inside an identifier, its wrapped part indented past the
clause's keyword (``SELECT`` lists continue under their first column). sqlparse wraps only lists
longer than :data:`LIST_WRAP` characters, so a bulk ``INSERT`` still has one line per row to fold.
"""

from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape
from typing import Any

import sqlparse
from sqlparse import lexer
from sqlparse import tokens as T

from . import style

_tokenize: Callable[[str], Iterable[tuple[Any, str]]] = lexer.tokenize  # sqlparse is untyped

LIST_WRAP = 400  # characters of a comma-separated list before sqlparse starts a new line
KEYWORD_HANG_MAX = 7  # a wrapped clause continues at most this far past its start


def _token_style(ttype: object) -> str:
    if ttype in T.Comment:
        return f"color:{style.COMMENT};font-style:italic"
    if ttype in T.Keyword:
        return f"color:{style.KEYWORD};font-weight:bold"
    if ttype in T.Name.Builtin:
        return f"color:{style.BUILTIN}"
    if ttype in T.Literal.String.Single:
        return f"color:{style.STRING}"
    if ttype in T.Literal.Number:
        return f"color:{style.NUMBER}"
    if ttype in T.Name.Placeholder:
        return f"color:{style.PLACEHOLDER}"
    return ""


def _hang(parts: list[tuple[str, str, bool]]) -> tuple[int, int]:
    """The line's leading spaces and where its wrapped part starts: past the first word when that is a
    keyword (``SELECT`` → under the first column), at the line's own indent for a list's continuation."""
    text = "".join(value for _, value, _ in parts)
    indent = len(text) - len(text.lstrip(" "))
    first = next(((value, keyword) for _, value, keyword in parts if value.strip()), ("", False))
    if not first[1]:
        return indent, 0
    return indent, min(len(first[0].strip().split(" ")[0]) + 1, KEYWORD_HANG_MAX)


def _line_html(parts: list[tuple[str, str, bool]]) -> str:
    indent, hang = _hang(parts)
    body = "".join(
        f'<span style="{css}">{escape(value, quote=False)}</span>'
        if css and value.strip()
        else escape(value, quote=False)
        for css, value, _ in parts
    )
    # The newline inside the block keeps the lines apart where styles are stripped altogether.
    return f'<span style="{style.hanging_indent(indent, hang)}">{body}\n</span>'


def format_sql(sql: str) -> str:
    """``sql`` reindented one clause per line, keywords upper-case; lists wrapped only when very long."""
    return sqlparse.format(sql, reindent=True, keyword_case="upper", wrap_after=LIST_WRAP).strip()


@lru_cache(maxsize=1024)
def sql_lines(sql: str) -> tuple[str, ...]:
    """The HTML of each line of ``sql`` as :func:`format_sql` lays it out."""
    lines: list[list[tuple[str, str, bool]]] = [[]]
    for ttype, value in _tokenize(format_sql(sql)):
        css, keyword = _token_style(ttype), ttype in T.Keyword
        first, *rest = value.split("\n")
        lines[-1].append((css, first, keyword))
        for piece in rest:
            lines.append([(css, piece, keyword)])
    return tuple(_line_html(parts) for parts in lines)


def highlight_sql(sql: str) -> str:
    """Formatted, coloured SQL as HTML for a ``<pre>``: one block per line."""
    return "".join(sql_lines(sql))
