"""IPython magics: ``%load_ext profiler`` gives ``%%queries`` (a cell) and ``%queries`` (a line).

    %%queries --n-plus-one
    titles = [e.blog.name for e in Entry.objects.all()[:5]]

runs the cell (its own output appears first), then shows what it executed: a summary line, the
statements with their call sites, and with the options the N+1 findings and query plans.

Options (both magics; for ``%queries`` they come before the statement):

    --sql / --no-sql     show the SQL of each statement (default) or only its call site
    --n-plus-one         list the N+1 findings with their fixes
    --explain            the query plan of each distinct SELECT (first few)
    --analyze            with --explain on PostgreSQL: EXPLAIN ANALYZE, rolled back
    --no-stacks          record only each statement's call site (faster)
    --using ALIAS        only this database alias (repeat for more)
    --limit N            show at most N statements as text (default 50)
    -o NAME              also store the capture in the variable NAME
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .capture import Capture, capture
from .errors import ProfilerError
from .render import html as html_render
from .render import text as text_render

EXPLAIN_LIMIT = 3
_FLAGS = {
    "--sql": ("sql", True),
    "--no-sql": ("sql", False),
    "--n-plus-one": ("n_plus_one", True),
    "--explain": ("explain", True),
    "--analyze": ("analyze", True),
    "--no-stacks": ("stacks", False),
}
_VALUED = {"--using": "using", "--limit": "limit", "-o": "output", "--output": "output"}


@dataclass
class Options:
    sql: bool = True
    n_plus_one: bool = False
    explain: bool = False
    analyze: bool = False
    stacks: bool = True
    using: list[str] = field(default_factory=list)
    limit: int = 50
    output: str | None = None


def parse_line(line: str) -> tuple[Options, str]:
    """Leading options of a magic line, and the rest of the line verbatim (the code)."""
    from IPython.core.error import UsageError

    options = Options()
    rest = line.strip()
    while rest.startswith("-"):
        word, _, rest = rest.partition(" ")
        rest = rest.lstrip()
        name, eq, value = word.partition("=")
        if name in _FLAGS and not eq:
            attribute, flag = _FLAGS[name]
            setattr(options, attribute, flag)
        elif name in _VALUED:
            if not eq:
                value, _, rest = rest.partition(" ")
                rest = rest.lstrip()
            if not value:
                raise UsageError(f"%queries: option {name} needs a value.")
            _set_value(options, _VALUED[name], value)
        else:
            known = ", ".join([*_FLAGS, *_VALUED])
            raise UsageError(f"%queries: unknown option {word!r}; the options are {known}.")
    return options, rest


def _set_value(options: Options, attribute: str, value: str) -> None:
    from IPython.core.error import UsageError

    if attribute == "using":
        options.using.extend(v for v in value.split(",") if v)
    elif attribute == "limit":
        if not value.isdigit():
            raise UsageError(f"%queries: --limit needs a whole number, got {value!r}.")
        options.limit = int(value)
    else:
        if not value.isidentifier():
            raise UsageError(f"%queries: -o needs a variable name, got {value!r}.")
        options.output = value


class QueriesReport:
    """What the magics display: text in a terminal, HTML in JupyterLab."""

    def __init__(self, captured: Capture, options: Options) -> None:
        self.capture = captured
        self.options = options
        self.findings = text_render.n_plus_one_findings(captured) if options.n_plus_one else None
        self.plans = _plans(captured, analyze=options.analyze) if options.explain else []

    def text(self) -> str:
        captured, options = self.capture, self.options
        lines = [text_render.summary(captured, self.findings)]
        if options.n_plus_one:
            if self.findings is None:
                lines.append("N+1 analysis is not available in this installation.")
            elif not self.findings:
                lines.append("No N+1 findings.")
            lines.extend(text_render.render_findings(self.findings or []))
        shown = list(captured)[: options.limit]
        lines.extend(text_render.render_queries(shown, sql=options.sql))
        if len(captured) > len(shown):
            lines.append(
                f"... {len(captured) - len(shown)} more statements (use -o NAME to keep "
                "the capture, or --limit N)."
            )
        for index, plan in self.plans:
            lines.append(f"EXPLAIN [{index}]:")
            lines.extend("    " + line for line in plan.splitlines())
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.text())

    def __repr__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        return html_render.render_capture(
            self.capture, sql=self.options.sql, findings=self.findings, plans=self.plans
        )


def _plans(captured: Capture, *, analyze: bool) -> list[tuple[int, str]]:
    """Plans of the first few distinct SELECTs; statements that cannot be explained are skipped."""
    plans: list[tuple[int, str]] = []
    seen: set[str] = set()
    for index, query in enumerate(captured, 1):
        if len(plans) >= EXPLAIN_LIMIT:
            break
        if query.kind != "SELECT" or query.error is not None or query.fingerprint in seen:
            continue
        seen.add(query.fingerprint)
        try:
            plans.append((index, captured.explain(query, analyze=analyze)))
        except ProfilerError as exc:
            plans.append((index, f"(not explained: {exc})"))
    return plans


def _run(shell: Any, code: str, options: Options) -> None:
    from IPython.display import display

    using: Iterable[str] | None = options.using or None
    with capture(using, stacks=options.stacks) as captured:
        shell.run_cell(code, store_history=False)
    if options.output:
        shell.user_ns[options.output] = captured
    display(QueriesReport(captured, options))


def _magics_class() -> type:
    from IPython.core.magic import Magics, line_cell_magic, magics_class

    @magics_class
    class ProfilerMagics(Magics):
        @line_cell_magic
        def queries(self, line: str, cell: str | None = None) -> None:
            """Run the cell (or the statement after the options) and show the SQL it executed.

            Options: --sql/--no-sql, --n-plus-one, --explain, --analyze, --no-stacks,
            --using ALIAS, --limit N, -o NAME. See ``help(profiler.ipython)``.
            """
            from IPython.core.error import UsageError

            options, rest = parse_line(line)
            if cell is None:
                if not rest:
                    raise UsageError(
                        "%queries needs a statement to run, e.g. %queries list(Entry.objects.all()[:5])"
                    )
                code = rest
            else:
                if rest:
                    raise UsageError(f"%%queries: unexpected {rest!r} after the options.")
                code = cell
            _run(self.shell, code, options)

    return ProfilerMagics


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%queries`` / ``%%queries`` (called by ``%load_ext profiler``)."""
    ipython.register_magics(_magics_class())
