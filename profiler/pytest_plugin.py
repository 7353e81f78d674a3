"""pytest plugin (entry point ``profiler``): the ``queries`` fixture and the suite-wide N+1 switch.

    def test_blog_page(db, queries):
        list(Entry.objects.select_related("blog"))
        assert len(queries) == 1
        assert not queries.n_plus_one()

    pytest --profiler-n-plus-one=fail     # every test: an N+1 fails it (see profiler.pytest_switch)

Importing this module imports neither Django nor the profiler's capture, so test runs that do not
use Django are unaffected; the fixture needs Django to be set up (pytest-django does it).
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from . import pytest_switch

if TYPE_CHECKING:
    from .capture import Capture


def pytest_addoption(parser: pytest.Parser) -> None:
    pytest_switch.add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    pytest_switch.configure(config)


_DATABASE_FIXTURES = (
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
)


@pytest.fixture
def queries(request: pytest.FixtureRequest) -> Iterator["Capture"]:
    """An open :func:`profiler.capture` over every database alias, for the rest of the test.

    pytest-django's database fixtures the test requests are set up first, so their own
    statements (transactions, savepoints) are not counted.
    """
    from .capture import capture

    for name in _DATABASE_FIXTURES:
        if name in request.fixturenames:
            request.getfixturevalue(name)

    with capture() as captured:
        yield captured


# Query snapshots: the --profiler-update-snapshots option and the query_snapshot fixture.
pytest_plugins = ["profiler.pytest_snapshots"]
