"""pytest side of :mod:`profiler.snapshot`: the ``--profiler-update-snapshots`` option, the
``query_snapshot`` fixture, and a summary of the record files a run wrote.

    def test_entry_list(client, query_snapshot):
        with query_snapshot():                 # named after the test: "test_entry_list"
            client.get("/blog/entries/")
        with query_snapshot("second page"):    # "test_entry_list: second page"
            client.get("/blog/entries/?page=2")

Registered by the profiler's pytest plugin (:mod:`profiler.pytest_plugin`).
"""

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .snapshot import Snapshot

OPTION = "--profiler-update-snapshots"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("profiler").addoption(
        OPTION,
        action="store_true",
        default=False,
        dest="profiler_update_snapshots",
        help="rewrite the query snapshots (profiler.snapshot, query_snapshot) that changed, instead "
        "of failing with their diff",
    )


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("profiler_update_snapshots"):
        from .snapshot import request_updates

        request_updates()


@pytest.fixture
def query_snapshot(request: pytest.FixtureRequest) -> Callable[..., "Snapshot"]:
    """Make :func:`profiler.snapshot` context managers named after the test, whose record file
    sits next to the test module."""
    from .snapshot import snapshot

    test_name = request.node.nodeid.split("::", 1)[-1]

    def make(name: str | None = None, *, using: str | Iterable[str] | None = None) -> "Snapshot":
        full_name = test_name if name is None else f"{test_name}: {name}"
        update = bool(request.config.getoption("profiler_update_snapshots"))
        return snapshot(full_name, beside=request.path, update=update or None, using=using)

    return make


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from .snapshot import written

    if not written:
        return
    terminalreporter.write_sep("-", "profiler: query snapshots written")
    root = terminalreporter.config.rootpath
    for path, name, action in written:
        try:
            shown = os.path.relpath(path, root)
        except ValueError:  # another drive
            shown = str(path)
        terminalreporter.write_line(f"{action}: {name!r} in {shown}")
