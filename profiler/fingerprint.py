"""SQL normalisation with sqlparse: fingerprints, statement kind and tables. Pure functions."""

import re
from dataclasses import dataclass
from functools import lru_cache

import sqlparse
from sqlparse import tokens as T
from sqlparse.sql import Identifier, IdentifierList, TokenList

WRITE_KINDS = frozenset(
    {
        "INSERT",
        "UPDATE",
        "DELETE",
        "REPLACE",
        "MERGE",
        "CREATE",
        "DROP",
        "ALTER",
        "TRUNCATE",
        "GRANT",
        "REVOKE",
    }
)
_IN_LIST = re.compile(r"\bIN\s*\(\s*(?:\?|%s|:\w+)(?:\s*,\s*(?:\?|%s|:\w+))*\s*\)", re.IGNORECASE)
_VALUES_LIST = re.compile(r"\bVALUES\s*(\(\s*\?(?:\s*,\s*\?)*\s*\))(?:\s*,\s*\1)+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TABLE_KEYWORDS = {"FROM", "JOIN", "INTO", "UPDATE", "TABLE"}


@dataclass(frozen=True, slots=True)
class Statement:
    """What the profiler knows about one SQL text."""

    fingerprint: str
    kind: str
    tables: tuple[str, ...]

    @property
    def is_write(self) -> bool:
        return self.kind in WRITE_KINDS


@lru_cache(maxsize=4096)
def analyse(sql: str) -> Statement:
    """Fingerprint, kind and tables of ``sql`` (cached: a loop repeats the same text)."""
    parsed = sqlparse.parse(sql)
    if not parsed:
        return Statement("", "UNKNOWN", ())
    statement = parsed[0]
    return Statement(_fingerprint(statement), _kind(statement), _tables(statement))


def fingerprint(sql: str) -> str:
    """``sql`` with literals and placeholders as ``?``, IN-lists as ``IN (...)``, spaces collapsed."""
    return analyse(sql).fingerprint


def format_sql(sql: str) -> str:
    """``sql`` indented and with upper-case keywords, for people to read."""
    return sqlparse.format(sql, reindent=True, keyword_case="upper", wrap_after=80).strip()


def _fingerprint(statement: sqlparse.sql.Statement) -> str:
    parts = []
    for token in statement.flatten():
        ttype = token.ttype
        if ttype in T.Literal.String.Single or ttype in T.Number or ttype in T.Name.Placeholder:
            parts.append("?")
        elif ttype in T.Comment:
            continue
        elif ttype in T.Keyword:
            parts.append(token.normalized)
        else:
            parts.append(token.value)
    text = _SPACES.sub(" ", "".join(parts)).strip()
    text = _IN_LIST.sub("IN (...)", text)
    return _VALUES_LIST.sub(r"VALUES \1, ...", text)


def _kind(statement: sqlparse.sql.Statement) -> str:
    kind: str = statement.get_type()
    if kind != "UNKNOWN":
        if kind == "INSERT" and "REPLACE" in statement.value[:20].upper():
            return "REPLACE"
        return kind
    first = statement.token_first(skip_cm=True)
    return first.normalized.upper() if first is not None else "UNKNOWN"


def _tables(statement: TokenList) -> tuple[str, ...]:
    found: list[str] = []
    expect = False
    for token in statement.tokens:
        if token.is_whitespace:
            continue
        if token.ttype in T.Keyword and (
            token.normalized in _TABLE_KEYWORDS or token.normalized.endswith(" JOIN")
        ):
            expect = True
            continue
        if expect:
            for name in _names(token):
                if name not in found:
                    found.append(name)
            expect = False
        if isinstance(token, TokenList) and (
            not isinstance(token, Identifier | IdentifierList) or _has_dml(token)
        ):
            for name in _tables(token):  # subqueries, also `FROM (SELECT ...) alias`
                if name not in found:
                    found.append(name)
    return tuple(found)


def _has_dml(token: TokenList) -> bool:
    return any(t.ttype in T.DML for t in token.flatten())


def _names(token: sqlparse.sql.Token) -> list[str]:
    if isinstance(token, IdentifierList):
        return [n for t in token.get_identifiers() for n in _names(t)]
    if isinstance(token, Identifier):
        if _has_dml(token):
            return []  # a subquery in FROM
        name = token.get_real_name()
        return [name] if name else []
    if token.ttype in T.Name:
        return [token.value.strip('"`')]
    return []
