"""The suite-wide N+1 switch (``--profiler-n-plus-one``), run on inner test files with ``pytester``."""

import dataclasses
import sys

import pytest

from profiler.nplusone import Finding
from profiler.pytest_switch import (
    SQL_LIMIT,
    describe,
    installed_models,
    is_allowed,
    pattern_problem,
    unknown_name_problem,
)
from profiler.records import Frame

from .test_pytest_plugin import CHILD_SETTINGS

pytest_plugins = ["pytester"]
# Inner runs leave out the plugins they do not use (nbval alone takes seconds to import).
QUICK = ("-p", "no:cacheprovider", "-p", "no:nbval", "-p", "no:faker", "-p", "no:anyio")

INNER_TESTS = """
import pytest
from django.http import HttpResponse
from django.test import TestCase
from django.urls import path

from tutorial_site.blog.models import Blog, Entry

NAMES = ["Blog 0", "Blog 1", "Blog 2"]


def make_entries(using="default"):
    for i, name in enumerate(NAMES):
        blog = Blog.objects.using(using).create(name=name, tagline="")
        Entry.objects.using(using).create(
            blog=blog, headline=f"Entry {i}", body_text="", pub_date="2008-01-01",
            mod_date="2008-01-01", number_of_comments=0, number_of_pingbacks=0, rating=3,
        )


@pytest.fixture
def entries(db):
    make_entries()


@pytest.fixture
def names_from_a_fixture(entries):
    return [e.blog.name for e in Entry.objects.order_by("id")]


def test_lazy(entries):
    assert [e.blog.name for e in Entry.objects.order_by("id")] == NAMES


def test_select_related(entries):
    assert [e.blog.name for e in Entry.objects.select_related("blog").order_by("id")] == NAMES


def test_reverse_lazy(entries):
    assert [len(b.entry_set.all()) for b in Blog.objects.order_by("id")] == [1, 1, 1]


@pytest.mark.profiler_allow("Entry.blog")
def test_allowed_by_the_marker(entries):
    assert [e.blog.name for e in Entry.objects.order_by("id")] == NAMES


@pytest.mark.profiler_allow
def test_everything_allowed(entries):
    assert [len(b.entry_set.all()) for b in Blog.objects.order_by("id")] == [1, 1, 1]


@pytest.mark.django_db(transaction=True)
def test_lazy_transactional():
    make_entries()
    assert [e.blog.name for e in Entry.objects.order_by("id")] == NAMES


@pytest.mark.django_db(databases=["default", "other"])
def test_lazy_on_the_other_database():
    make_entries("other")
    assert [e.blog.name for e in Entry.objects.using("other").order_by("id")] == NAMES


def test_lazy_in_a_fixture(names_from_a_fixture):
    assert names_from_a_fixture == NAMES


@pytest.mark.profiler_allow("Entry.blgo")
def test_misspelt_marker(entries):
    assert [e.blog.name for e in Entry.objects.order_by("id")] == NAMES


def test_failing_for_another_reason(entries):
    names = [e.blog.name for e in Entry.objects.order_by("id")]
    assert names == [], "another reason"


class TestWithSetUp(TestCase):
    def setUp(self):
        make_entries()
        self.names = [e.blog.name for e in Entry.objects.order_by("id")]

    def test_names(self):
        self.assertEqual(self.names, NAMES)


def entry_page(request, pk):
    return HttpResponse(Entry.objects.get(pk=pk).blog.name)  # one load per request


urlpatterns = [path("entries/<int:pk>/", entry_page)]


@pytest.mark.urls("test_inner")
def test_one_load_per_request(entries, client):
    pages = [client.get(f"/entries/{pk}/").content for pk in Entry.objects.values_list("pk", flat=True)]
    assert sorted(pages) == [name.encode() for name in NAMES]
"""

LAZY = [
    "test_lazy",
    "test_reverse_lazy",
    "test_lazy_transactional",
    "test_lazy_on_the_other_database",
    "TestWithSetUp::test_names",
]
CLEAN = [
    "test_select_related",
    "test_allowed_by_the_marker",
    "test_everything_allowed",
    "test_lazy_in_a_fixture",
    "test_one_load_per_request",  # three requests, one Entry.blog load each: no N+1
]


def _line(code: str, after: str = "") -> int:
    """The line number in the inner test file of the first line holding ``code`` (after ``after``)."""
    lines = INNER_TESTS.strip("\n").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and code in line) + 1


def _site(code: str, function: str) -> str:
    """``test_inner.py:LINE in FUNCTION`` for the line holding ``code`` in ``function``; on Python 3.11 a
    list comprehension is a frame of its own."""
    frame = function if sys.version_info >= (3, 12) else "<listcomp>"
    return f"test_inner.py:{_line(code, after=f'def {function}(')} in {frame}"


def _run(pytester: pytest.Pytester, *args: str, ini: str = "") -> pytest.RunResult:
    pytester.makepyfile(test_inner=INNER_TESTS, child_settings=CHILD_SETTINGS)
    if ini:
        pytester.makeini(f"[pytest]\n{ini}")
    return pytester.runpytest_subprocess(*QUICK, "--ds=child_settings", "-rA", *args)


def _outcomes(result: pytest.RunResult) -> dict[str, str]:
    """``{test name: PASSED | FAILED | ERROR}`` from the short test summary (``-rA``)."""
    outcomes = {}
    for line in result.outlines:
        word, _, rest = line.partition(" ")
        if word in ("PASSED", "FAILED", "ERROR") and rest.startswith("test_inner.py::"):
            name = rest.removeprefix("test_inner.py::").split(" - ")[0]
            outcomes[name] = "ERROR" if word == "ERROR" else outcomes.get(name, word)
    return outcomes


def _expect(
    result: pytest.RunResult, passed: list[str], failed: list[str], errors: tuple[str, ...] = ()
) -> None:
    expected = {name: "PASSED" for name in passed} | {name: "FAILED" for name in failed}
    expected |= {name: "ERROR" for name in errors}
    assert _outcomes(result) == expected, result.stdout.str()


ALLOW_HINT = (
    "Fix the code as shown, or if the test loads lazily on purpose, mark it @pytest.mark.profiler_allow"
)


def test_off_by_default_every_n_plus_one_passes(pytester: pytest.Pytester) -> None:
    result = _run(pytester)
    _expect(result, [*LAZY, *CLEAN, "test_misspelt_marker"], ["test_failing_for_another_reason"])
    assert "profiler: N+1 switch" not in result.stdout.str()


def test_fail_fails_each_test_body_with_an_n_plus_one_and_says_where_and_how_to_fix_it(
    pytester: pytest.Pytester,
) -> None:
    result = _run(pytester, "--profiler-n-plus-one=fail")
    _expect(result, CLEAN, [*LAZY, "test_misspelt_marker", "test_failing_for_another_reason"])
    result.stdout.fnmatch_lines(
        [
            "profiler: N+1 switch fail (test bodies; profiler_allow: none)",
            "*_ test_lazy _*",
            "1 N+1 finding in this test (--profiler-n-plus-one=fail):",
            f"N+1: Entry.blog loaded 3 times at {_site('e.blog.name', 'test_lazy')}"
            " — fix: Entry.objects.select_related('blog')",
            '    line: assert [[]e.blog.name for e in Entry.objects.order_by("id")] == NAMES',
            "    why:  each Entry loads its blog with one query",
            '    e.g.: SELECT "blog_blog"."id", *',
            f'{ALLOW_HINT}("Entry.blog") (or list the pattern in the profiler_allow ini setting).',
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*_ test_reverse_lazy _*",
            f"N+1: Blog.entry_set loaded 3 times at {_site('entry_set', 'test_reverse_lazy')}"
            " — fix: Blog.objects.prefetch_related('entry_set')",
        ]
    )
    for code, function in [("e.blog.name", "test_lazy_on_the_other_database"), ("e.blog.name", "setUp")]:
        result.stdout.fnmatch_lines([f"N+1: Entry.blog loaded 3 times at {_site(code, function)} — *"])
    result.stdout.fnmatch_lines(
        [
            "*_ test_misspelt_marker _*",
            "@pytest.mark.profiler_allow: 'Entry.blgo': Entry has no field or relation 'blgo'; it has *blog*",
        ]
    )
    # A test failing for its own reason keeps its own message; its N+1 is added as a section.
    result.stdout.fnmatch_lines(
        [
            "*_ test_failing_for_another_reason _*",
            "*AssertionError: another reason*",
            "*- N+1 queries (--profiler-n-plus-one) -*",
            "N+1: Entry.blog loaded 3 times at "
            f"{_site('e.blog.name', 'test_failing_for_another_reason')} — *",
        ]
    )
    result.stdout.fnmatch_lines(["FAILED test_inner.py::test_lazy - Failed: 1 N+1 finding in this test*"])


def test_ini_settings_allow_patterns_and_check_fixtures(pytester: pytest.Pytester) -> None:
    ini = (
        "profiler_n_plus_one = fail\nprofiler_allow =\n    Blog.entry_*\nprofiler_n_plus_one_fixtures = true"
    )
    result = _run(pytester, "-k", "lazy", ini=ini)
    _expect(
        result,
        passed=["test_reverse_lazy"],  # allowed by the ini's pattern
        failed=["test_lazy", "test_lazy_transactional", "test_lazy_on_the_other_database"],
        errors=("test_lazy_in_a_fixture",),  # its fixture's N+1, checked on request
    )
    result.stdout.fnmatch_lines(
        [
            "profiler: N+1 switch fail (test bodies and fixtures; profiler_allow: Blog.entry_*)",
            "*_ ERROR at setup of test_lazy_in_a_fixture _*",
            "1 N+1 finding in this fixture setup (--profiler-n-plus-one=fail):",
            f"N+1: Entry.blog loaded 3 times at {_site('e.blog.name', 'names_from_a_fixture')} — *",
        ]
    )


def test_the_command_line_overrides_the_ini(pytester: pytest.Pytester) -> None:
    args = ("--profiler-n-plus-one=off", "-k", "test_lazy and not fixture")
    result = _run(pytester, *args, ini="profiler_n_plus_one = fail")
    result.assert_outcomes(passed=3)


def test_warn_passes_and_lists_the_findings_of_xdist_workers_in_the_summary(
    pytester: pytest.Pytester,
) -> None:
    result = _run(pytester, "-n", "2", "--profiler-n-plus-one=warn")
    _expect(result, [*LAZY, *CLEAN], ["test_misspelt_marker", "test_failing_for_another_reason"])
    output = result.stdout.str()
    assert "created: 2/2 workers" in output
    result.stdout.fnmatch_lines(
        [
            "*= N+1 queries (--profiler-n-plus-one=warn) =*",
            "6 N+1 findings in 6 tests; --profiler-n-plus-one=fail makes them failures*",
        ]
    )
    for name in [*LAZY, "test_failing_for_another_reason"]:
        assert f"\ntest_inner.py::{name}\n" in output, name
    result.stdout.fnmatch_lines(
        [
            "test_inner.py::test_reverse_lazy",
            f"  N+1: Blog.entry_set loaded 3 times at {_site('entry_set', 'test_reverse_lazy')} — fix: *",
            "      line: assert [[]len(b.entry_set.all()) for b in Blog.objects.order_by(*)] == [[]1, 1, 1]",
        ]
    )


def test_fail_under_xdist(pytester: pytest.Pytester) -> None:
    result = _run(pytester, "-n", "2", "--profiler-n-plus-one=fail", "-k", "not misspelt and not another")
    _expect(result, CLEAN, LAZY)
    result.stdout.fnmatch_lines(["FAILED test_inner.py::test_lazy - Failed: 1 N+1 finding in this test*"])


@pytest.mark.parametrize(
    ("args", "ini", "message"),
    [
        pytest.param(
            [],
            "profiler_n_plus_one = fial",
            "ERROR: profiler_n_plus_one = 'fial' in tox.ini: use fail, warn or off*",
            id="mode",
        ),
        pytest.param(
            ["--profiler-n-plus-one=warn"],
            "profiler_allow = Entyr.blog",
            "ERROR: profiler_allow in the ini file: 'Entyr.blog': no installed model is named 'Entyr'; "
            "the models are *Entry*",
            id="model",
        ),
    ],
)
def test_a_wrong_setting_stops_the_run_with_what_to_write(
    pytester: pytest.Pytester, args: list[str], ini: str, message: str
) -> None:
    result = _run(pytester, *args, ini=ini)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])


def test_the_switch_needs_django(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    result = pytester.runpytest_subprocess(*QUICK, "-p", "no:django", "--profiler-n-plus-one=fail")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: --profiler-n-plus-one=fail needs Django set up before the tests run*"]
    )


# -- the allow-list and the message, directly -------------------------------------------------------
SITE = Frame(__file__, 1, "test")  # this file's first line: its docstring


def _finding(model: str = "Entry", field: str = "blog") -> Finding:
    fix = f"{model}.objects.select_related('{field}')"
    return Finding(model, field, "forward", SITE, 3, 'SELECT "x" FROM "y"', fix, note="each loads one")


@pytest.mark.parametrize(
    ("patterns", "allowed"),
    [
        ((), False),
        (("Entry.blog",), True),
        (("Entry.*",), True),
        (("*.blog",), True),
        (("Entry.blo?",), True),
        (("Blog.entry_set", "Entry.blog"), True),
        (("entry.blog",), False),  # model names are class names: case matters
        (("Entry.blog_id",), False),
    ],
)
def test_patterns_match_model_dot_field(patterns: tuple[str, ...], allowed: bool) -> None:
    assert is_allowed(_finding(), patterns) is allowed


@pytest.mark.parametrize("pattern", ["Entry", "Entry.", ".blog", "Entry blog", "Entry.blog.name", ""])
def test_a_pattern_must_be_model_dot_field(pattern: str) -> None:
    assert f"{pattern!r} is not a Model.field pattern" in pattern_problem(["Entry.blog", pattern])


def test_pattern_names_are_checked_against_the_models() -> None:
    known = {"Entry": frozenset({"blog", "blog_id", "authors"}), "Blog": frozenset({"entry_set"})}
    assert unknown_name_problem(["Entry.blog", "Blog.entry_*", "*.anything", "Ent*.x"], known) == ""
    assert "no installed model is named 'Entyr'; the models are Blog, Entry" in unknown_name_problem(
        ["Entyr.blog"], known
    )
    assert "Blog has no field or relation 'entries'; it has entry_set" in unknown_name_problem(
        ["Blog.entries"], known
    )


def test_the_installed_models_include_reverse_accessors_and_attnames() -> None:
    models = installed_models()
    assert {"blog", "blog_id", "authors", "headline"} <= models["Entry"]
    assert "entry_set" in models["Blog"]
    assert not any(name.endswith("+") for names in models.values() for name in names)  # hidden relations


def test_a_finding_is_described_with_its_line_its_reason_and_an_example_statement() -> None:
    lines = describe(_finding()).splitlines()
    assert lines[0] == f"N+1: Entry.blog loaded 3 times at {SITE} — fix: Entry.objects.select_related('blog')"
    assert lines[1].startswith('    line: """The suite-wide N+1 switch')
    assert lines[2:] == ["    why:  each loads one", '    e.g.: SELECT "x" FROM "y"']


def test_a_long_example_statement_is_cut() -> None:
    finding = dataclasses.replace(_finding(), sql="SELECT " + ", ".join(f'"c{i}"' for i in range(100)))
    example = describe(finding).splitlines()[-1]
    assert len(example) == len("    e.g.: ") + SQL_LIMIT
    assert example.endswith("...")
