"""The pytest plugin (entry point ``profiler``), run in a child pytest with ``pytester``."""

import os

import pytest

pytest_plugins = ["pytester"]

DJANGO_TESTS = """
import profiler
from tutorial_site.blog.models import Blog, Entry


def test_fixture_counts_the_test_s_statements(db, queries):
    Blog.objects.create(name="b", tagline="")
    Blog.objects.count()
    assert [q.kind for q in queries] == ["INSERT", "SELECT"]


def test_fixture_before_db_does_not_count_setup(queries, db):
    Blog.objects.count()
    assert len(queries) == 1


def test_fixture_with_transactional_db(queries, transactional_db):
    Blog.objects.count()
    assert len(queries) == 1


def test_too_many(db):
    with profiler.assert_max_queries(1):
        Blog.objects.count()
        Entry.objects.count()
"""


CHILD_SETTINGS = f"""
from tutorial_site.settings.test import *  # noqa: F403
from tutorial_site.settings.test import DATABASES

if "postgresql" in DATABASES["default"]["ENGINE"]:
    # Not the parent run's test database, which exists while it runs.
    DATABASES["default"] = {{
        **DATABASES["default"], "TEST": {{"NAME": "test_profiler_child_{os.getpid()}"}}
    }}
"""


def _run_django(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_child=DJANGO_TESTS, child_settings=CHILD_SETTINGS)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "--ds=child_settings", "-q", *args)


def test_queries_fixture_and_assertion_messages(pytester: pytest.Pytester) -> None:
    result = _run_django(pytester)
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: Expected at most 1 query, 2 were executed:",
            "*[[]1[]] default SELECT * at test_child.py:23 in test_too_many",
            "*[[]2[]] default SELECT * at test_child.py:24 in test_too_many",
        ]
    )


def test_plugin_does_not_import_django_in_a_plain_pytest_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_plain="""
        import sys

        def test_plain():
            assert "profiler.pytest_plugin" in sys.modules  # the entry point was loaded
            assert not any(name == "django" or name.startswith("django.") for name in sys.modules)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:django", "-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)


def test_queries_fixture_is_listed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nothing="def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:django", "--fixtures", "-q")
    result.stdout.fnmatch_lines(["queries*", "*open*profiler.capture*"])
