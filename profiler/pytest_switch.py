"""The suite-wide N+1 switch: every test runs inside a capture, and an N+1 fails it (or is reported).

    pytest --profiler-n-plus-one=fail        # or warn, or off (the default)

    [tool.pytest.ini_options]
    profiler_n_plus_one = "fail"
    profiler_allow = ["Entry.blog", "Person.*"]    # Model.field patterns, * and ? as in fnmatch

    @pytest.mark.profiler_allow("Entry.blog")      # this test loads Entry.blog lazily on purpose
    def test_lazy_page(client): ...

``fail`` fails a test whose body ran an N+1, with the finding, its call site and its fix in the
failure message; ``warn`` lets it pass and lists the findings in the terminal summary (also from
xdist workers: the findings travel on the test reports). The test body is its call phase, which
includes a ``unittest``/Django ``TestCase``'s ``setUp`` and ``tearDown``; fixture setup and
teardown are checked too with ``--profiler-n-plus-one-fixtures`` (ini ``profiler_n_plus_one_fixtures``).
A ``profiler_allow`` marker without patterns allows every N+1 in its tests: they run without the
switch's capture (for tests about queries or captures themselves).

An N+1 is a load repeated within one HTTP request of the test ``Client`` (or outside any
request): fetching three pages that each read one relation once is not one.

Statements run by other threads or processes (``live_server``, a browser) are not seen, as with
:func:`profiler.capture`. :mod:`profiler.pytest_plugin` adds the options and registers
:class:`NPlusOneSwitch` when the switch is not ``off``; this module imports Django only then.
"""

import re
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .nplusone import Finding

MODES = ("fail", "warn", "off")
OPTION = "--profiler-n-plus-one"
INI_MODE = "profiler_n_plus_one"
FIXTURES_OPTION = "--profiler-n-plus-one-fixtures"
INI_FIXTURES = "profiler_n_plus_one_fixtures"
INI_ALLOW = "profiler_allow"
MARKER = "profiler_allow"
REPORT_ATTRIBUTE = "profiler_n_plus_one"  # on a TestReport: the findings' text, one entry each
PLUGIN_NAME = "profiler-n-plus-one"
SQL_LIMIT = 160

# phase -> (the findings not allowed, whether the switch failed the phase for them)
_findings_key = pytest.StashKey[dict[str, tuple[list["Finding"], bool]]]()
_PATTERN = re.compile(r"[\w*?\[\]!]+\.[\w*?\[\]!]+")
_WILDCARDS = frozenset("*?[")


def add_options(parser: pytest.Parser) -> None:
    """The command-line options and ini settings of the switch."""
    group = parser.getgroup("profiler", "profiler: SQL capture and N+1 detection")
    group.addoption(
        OPTION,
        choices=MODES,
        default=None,
        dest="profiler_n_plus_one",
        help=f"fail or warn on N+1 queries in every test (default: the {INI_MODE} ini setting, else off).",
    )
    group.addoption(
        FIXTURES_OPTION,
        action="store_true",
        default=None,
        dest="profiler_n_plus_one_fixtures",
        help="with the N+1 switch on, check fixture setup and teardown too, not only the test body.",
    )
    parser.addini(
        INI_MODE, help="fail, warn or off: what an N+1 in a test does (default off).", default="off"
    )
    parser.addini(
        INI_FIXTURES,
        type="bool",
        default=False,
        help="with the N+1 switch on, check fixture setup and teardown too.",
    )
    parser.addini(
        INI_ALLOW,
        type="linelist",
        default=[],
        help="Model.field patterns (fnmatch) of N+1 loads the switch allows everywhere, e.g. Entry.blog.",
    )


def configure(config: pytest.Config) -> None:
    """Register the marker; register the switch unless it is off (checks the settings first)."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(*patterns): N+1 loads of these Model.field patterns (fnmatch) are allowed in this "
        f"test by the --profiler-n-plus-one switch; without patterns, the switch leaves the test alone.",
    )
    settings = Settings.from_config(config)
    if settings.mode != "off":
        config.pluginmanager.register(NPlusOneSwitch(settings), PLUGIN_NAME)


@dataclass(frozen=True)
class Settings:
    """What the switch does: ``mode``, the phases it checks and the ini's allowed patterns."""

    mode: str
    phases: frozenset[str]
    allow: tuple[str, ...]

    @classmethod
    def from_config(cls, config: pytest.Config) -> "Settings":
        mode = config.getoption("profiler_n_plus_one")
        if mode is None:
            value = config.getini(INI_MODE)
            mode = str(value).strip().lower()
            if mode not in MODES:
                where = config.inipath.name if config.inipath else "the ini file"
                raise pytest.UsageError(
                    f"{INI_MODE} = {value!r} in {where}: use fail, warn or off "
                    f"(what an N+1 in a test does; {OPTION}=... on the command line overrides it)."
                )
        fixtures = config.getoption("profiler_n_plus_one_fixtures")
        if fixtures is None:
            fixtures = config.getini(INI_FIXTURES)
        phases = frozenset({"setup", "call", "teardown"} if fixtures else {"call"})
        allow = tuple(config.getini(INI_ALLOW))
        problem = pattern_problem(allow)
        if problem:
            raise pytest.UsageError(f"{INI_ALLOW} in the ini file: {problem}")
        return cls(mode, phases, allow)


# -- allow-list --------------------------------------------------------------------------------------
def pattern_problem(patterns: Iterable[str]) -> str:
    """What is wrong with the first bad ``Model.field`` pattern ('' when all are good)."""
    for pattern in patterns:
        if not isinstance(pattern, str) or not _PATTERN.fullmatch(pattern):
            return (
                f"{pattern!r} is not a Model.field pattern. Write the model's class name, a dot and the "
                "attribute that loads lazily, as in an N+1 finding: 'Entry.blog', 'Blog.entry_set', "
                "'Entry.*', '*.authors' (* and ? match any text)."
            )
    return ""


def unknown_name_problem(patterns: Iterable[str], known: dict[str, frozenset[str]]) -> str:
    """A pattern naming a model or field that ``known`` (model name -> attributes) lacks ('' if none)."""
    for pattern in patterns:
        model, field = pattern.split(".", 1)
        if _WILDCARDS.isdisjoint(model):
            if model not in known:
                names = ", ".join(sorted(known))
                return f"{pattern!r}: no installed model is named {model!r}; the models are {names}."
            if _WILDCARDS.isdisjoint(field) and field not in known[model]:
                names = ", ".join(sorted(known[model]))
                return f"{pattern!r}: {model} has no field or relation {field!r}; it has {names}."
    return ""


@cache
def installed_models() -> dict[str, frozenset[str]]:
    """Each installed model's class name -> the attributes an N+1 finding can name on it: fields,
    their ``attname`` (``blog_id``) and reverse accessors (``entry_set``)."""
    from django.apps import apps
    from django.db.models import ForeignObjectRel

    known: dict[str, set[str]] = {}
    for model in apps.get_models():
        names = known.setdefault(model.__name__, set())
        for field in model._meta.get_fields():
            if isinstance(field, ForeignObjectRel):  # a reverse relation: blog.entry_set
                accessor = field.get_accessor_name()
                if accessor:
                    names.add(accessor)
            else:
                names.add(field.name)
                attname = getattr(field, "attname", None)
                if attname:
                    names.add(attname)
    return {name: frozenset(attributes) for name, attributes in known.items()}


def allowed_patterns(item: pytest.Item, settings: Settings) -> tuple[str, ...] | None:
    """The patterns allowed in ``item`` (its markers' and the ini's); ``None`` when a marker without
    patterns allows every N+1."""
    patterns = list(settings.allow)
    for marker in item.iter_markers(MARKER):
        if not marker.args:
            return None
        patterns.extend(marker.args)
    return tuple(patterns)


def is_allowed(finding: "Finding", patterns: Sequence[str]) -> bool:
    return any(fnmatchcase(finding.relation, pattern) for pattern in patterns)


# -- messages ----------------------------------------------------------------------------------------
def describe(finding: "Finding") -> str:
    """One finding as the switch shows it: what, where, the fix, the line, why, an example."""
    lines = [str(finding)]
    code = finding.site.code if finding.site else ""
    if code:
        lines.append(f"    line: {code}")
    if finding.note:
        lines.append(f"    why:  {finding.note}")
    sql = " ".join(finding.sql.split())
    lines.append(f"    e.g.: {sql if len(sql) <= SQL_LIMIT else sql[: SQL_LIMIT - 3] + '...'}")
    return "\n".join(lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def failure_message(findings: Sequence["Finding"], when: str) -> str:
    part = "test" if when == "call" else f"fixture {when}"
    relations = list(dict.fromkeys(finding.relation for finding in findings))
    marker = ", ".join(f'"{relation}"' for relation in relations)
    lines = [f"{_plural(len(findings), 'N+1 finding')} in this {part} ({OPTION}=fail):"]
    lines.extend(describe(finding) for finding in findings)
    lines.append(
        f"Fix the code as shown, or if the test loads lazily on purpose, mark it "
        f"@pytest.mark.{MARKER}({marker}) (or list the pattern in the {INI_ALLOW} ini setting)."
    )
    return "\n".join(lines)


# -- the plugin ----------------------------------------------------------------------------------------
class NPlusOneSwitch:
    """The pytest plugin object registered when the switch is ``fail`` or ``warn``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.reported: list[tuple[str, str, list[str]]] = []  # (nodeid, phase, findings' text)

    def pytest_report_header(self) -> str:
        checked = "test bodies and fixtures" if "setup" in self.settings.phases else "test bodies"
        allowed = ", ".join(self.settings.allow) or "none"
        return f"profiler: N+1 switch {self.settings.mode} ({checked}; {INI_ALLOW}: {allowed})"

    @pytest.hookimpl(tryfirst=True)  # before xdist starts its workers
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        from django.apps import apps
        from django.conf import settings

        if not settings.configured or not apps.ready:
            raise pytest.UsageError(
                f"{OPTION}={self.settings.mode} needs Django set up before the tests run: use "
                "pytest-django with DJANGO_SETTINGS_MODULE (or --ds), or turn the switch off "
                f"({OPTION}=off)."
            )
        problem = unknown_name_problem(self.settings.allow, installed_models())
        if problem:
            raise pytest.UsageError(f"{INI_ALLOW} in the ini file: {problem}")

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._check(item, "setup"))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._check(item, "call"))

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._check(item, "teardown"))

    def _check(self, item: pytest.Item, when: str) -> Generator[None, None, None]:
        """Run one phase of ``item`` inside a capture; fail it (``fail``) on a disallowed N+1."""
        patterns = allowed_patterns(item, self.settings)
        if when not in self.settings.phases or patterns is None:
            return (yield)
        if when == "call" and patterns:
            problem = pattern_problem(patterns) or unknown_name_problem(patterns, installed_models())
            if problem:
                pytest.fail(f"@pytest.mark.{MARKER}: {problem}", pytrace=False)
        from .capture import capture

        passed = False
        with capture(stacks=False) as captured:
            try:
                yield
                passed = True
            finally:  # also when the phase raised: its report shows the findings beside the error
                findings = [f for f in captured.n_plus_one() if not is_allowed(f, patterns)]
                fail = passed and bool(findings) and self.settings.mode == "fail"
                if findings:
                    item.stash.setdefault(_findings_key, {})[when] = (findings, fail)
        if fail:
            pytest.fail(failure_message(findings, when), pytrace=False)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        """Put the phase's findings on its report (``warn``'s summary reads them, also from xdist
        workers); a test that failed for another reason shows them in a section of its own."""
        report = yield
        found = item.stash.get(_findings_key, {}).pop(call.when, None)
        if found:
            findings, failed_by_switch = found
            texts = [describe(finding) for finding in findings]
            setattr(report, REPORT_ATTRIBUTE, texts)
            if report.failed and not failed_by_switch:
                report.sections.append((f"N+1 queries ({OPTION})", "\n".join(texts)))
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        texts = getattr(report, REPORT_ATTRIBUTE, None)
        if texts:
            self.reported.append((report.nodeid, report.when, list(texts)))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.settings.mode != "warn" or not self.reported:
            return
        write = terminalreporter.write_line
        terminalreporter.write_sep("=", f"N+1 queries ({OPTION}=warn)", yellow=True)
        count = 0
        for nodeid, when, texts in self.reported:
            write(nodeid if when == "call" else f"{nodeid} (fixture {when})", bold=True)
            for text in texts:
                write("  " + text.replace("\n", "\n  "))
            count += len(texts)
        tests = len({nodeid for nodeid, _, _ in self.reported})
        write(
            f"{_plural(count, 'N+1 finding')} in {_plural(tests, 'test')}; {OPTION}=fail makes them "
            f"failures, @pytest.mark.{MARKER}(...) or the {INI_ALLOW} ini setting allows them.",
            yellow=True,
        )
