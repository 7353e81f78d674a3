"""What watching SQL costs: the 2001-statement N+1 loop under each way of watching it.

`[e.blog.name for e in Entry.objects.all()]` over 2000 entries (SQLite in memory) is timed,
interleaved round by round, bare and under: a no-op execute_wrapper (the floor of any wrapper-based
tool), Django's CaptureQueriesContext, django-debug-toolbar's SQL tracking, django-zeal, and
profiler.capture() with and without stacks and with N+1 analysis. Prints each median time and
its ratio to bare, paired round by round.

Every tool here patches Django (zeal and the profiler's ORM hooks at class level, the toolbar per
connection). Their patches are switched on only for their own runs, so "bare" is bare Django.

Run: .venv/bin/python bench/overhead.py [--rounds 15] [--entries 2000] [--clock cpu|wall]
"""

import argparse
import gc
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_MISSING = object()
Namespace = ModuleType | type


def configure() -> None:
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "tutorial_site.blog",
            "debug_toolbar",  # its SQL tracking module needs the app; zeal is patched by hand
        ],
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        USE_TZ=True,
        STATIC_URL="static/",  # the toolbar's static files panel wants it
        ZEAL_RAISE=False,  # report N+1 as a warning (ignored below), as in a dev server
    )
    django.setup()


def seed(entries: int) -> None:
    import datetime

    from django.db import connection

    from tutorial_site.blog.models import Author, Blog, Entry

    with connection.schema_editor() as editor:
        for model in (Blog, Author, Entry):
            editor.create_model(model)
    blogs = Blog.objects.bulk_create(
        [Blog(name=f"Blog {i}", tagline="") for i in range(max(1, entries // 100))]
    )
    day = datetime.date(2008, 1, 1)
    Entry.objects.bulk_create(
        [
            Entry(
                blog=blogs[i % len(blogs)],
                headline=f"Entry {i}",
                body_text="",
                pub_date=day,
                mod_date=day,
                number_of_comments=0,
                number_of_pingbacks=0,
                rating=3,
            )
            for i in range(entries)
        ]
    )


def n_plus_one_loop() -> list[str]:
    from tutorial_site.blog.models import Entry

    return [e.blog.name for e in Entry.objects.all()]


# -- switching class-level patches on and off ------------------------------------------------
def _namespaces() -> Iterator[Namespace]:
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "django" or name.startswith("django.")):
            continue
        yield module
        for value in list(vars(module).values()):
            # type(), not isinstance(): a lazy object would set itself up to answer
            if issubclass(type(value), type) and value.__module__ == name:
                yield value


def _snapshot() -> dict[int, tuple[Namespace, dict[str, Any]]]:
    return {id(ns): (ns, dict(vars(ns))) for ns in _namespaces()}


class Patches:
    """The attributes that ``install`` changed in Django's modules and classes, switchable."""

    def __init__(self, name: str, install: Callable[[], None]) -> None:
        before = _snapshot()
        install()
        self.name = name
        self.changes: list[tuple[Namespace, str, Any, Any]] = []
        for key, (ns, now) in _snapshot().items():
            if key not in before:
                continue  # imported by ``install``: nothing to undo
            old = before[key][1]
            for attr in set(old) | set(now):
                if old.get(attr, _MISSING) is not now.get(attr, _MISSING):
                    self.changes.append((ns, attr, old.get(attr, _MISSING), now.get(attr, _MISSING)))
        self.switch(False)

    def __str__(self) -> str:
        names = sorted(f"{getattr(ns, '__qualname__', ns.__name__)}.{attr}" for ns, attr, *_ in self.changes)
        return f"{self.name} patches {len(names)}: {', '.join(names)}"

    def switch(self, on: bool) -> None:
        for ns, attr, old, new in self.changes:
            value = new if on else old
            if value is _MISSING:
                if attr in vars(ns):
                    delattr(ns, attr)
            else:
                setattr(ns, attr, value)

    @contextmanager
    def on(self) -> Iterator[None]:
        self.switch(True)
        try:
            yield
        finally:
            self.switch(False)


# -- the ways of watching --------------------------------------------------------------------
def variants(verbose: bool = False) -> dict[str, Callable[[], AbstractContextManager[Any]]]:
    import django.contrib.contenttypes.fields  # noqa: F401  (zeal patches it: import it first)
    import zeal
    from debug_toolbar.panels.sql import tracking
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from zeal import constants as zeal_constants
    from zeal import patch as zeal_patch

    import profiler
    from profiler.capture import _dispatch

    zeal_constants.initialize_app_registry()
    zeal_patches = Patches("zeal", zeal_patch.patch)

    def install_profiler() -> None:
        with profiler.capture():
            pass

    profiler_patches = Patches("profiler", install_profiler)
    if verbose:
        print(zeal_patches)
        print(profiler_patches)

    def remove_dispatch() -> None:
        wrappers = connection.execute_wrappers
        if _dispatch in wrappers:
            wrappers.remove(_dispatch)

    remove_dispatch()

    tracking.wrap_cursor(connection)
    toolbar_cursors = {"cursor": connection.cursor, "chunked_cursor": connection.chunked_cursor}
    for attr in toolbar_cursors:  # back to the plain connection until the toolbar's turn
        delattr(connection, attr)

    class ToolbarLogger:
        """What the toolbar's SQLPanel gives the tracking cursor: somewhere to record."""

        def __init__(self) -> None:
            self.queries: list[dict[str, Any]] = []

        def record(self, **kwargs: Any) -> None:
            self.queries.append(kwargs)

        def current_transaction_id(self, alias: str) -> str:
            return "t"

        def new_transaction_id(self, alias: str) -> str:
            return "t"

    @contextmanager
    def toolbar() -> Iterator[None]:
        for attr, value in toolbar_cursors.items():
            setattr(connection, attr, value)
        connection._djdt_logger = ToolbarLogger()
        try:
            yield
        finally:
            connection._djdt_logger = None
            for attr in toolbar_cursors:
                delattr(connection, attr)

    @contextmanager
    def with_zeal() -> Iterator[None]:
        with zeal_patches.on(), zeal.zeal_context():
            yield

    @contextmanager
    def with_profiler(stacks: bool, analyse: bool = False, hooks: bool = True) -> Iterator[None]:
        try:
            with (
                profiler_patches.on() if hooks else nullcontext(),
                profiler.capture(stacks=stacks) as captured,
            ):
                yield
            if analyse:
                findings = captured.n_plus_one()
                assert len(findings) == 1, findings
        finally:
            remove_dispatch()

    def noop(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        return execute(sql, params, many, context)

    return {
        "bare": nullcontext,
        "no-op execute_wrapper": lambda: connection.execute_wrapper(noop),
        "CaptureQueriesContext": lambda: CaptureQueriesContext(connection),
        "debug-toolbar SQL tracking": toolbar,
        "django-zeal": with_zeal,
        "profiler.capture(stacks=True)": lambda: with_profiler(True),
        "profiler.capture(stacks=False)": lambda: with_profiler(False),
        "capture() + n_plus_one()": lambda: with_profiler(True, analyse=True),
        "capture(stacks=True), ORM hooks off": lambda: with_profiler(True, hooks=False),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0, help="seed of the per-round order")
    parser.add_argument("--verbose", action="store_true", help="list the patches switched")
    parser.add_argument(
        "--clock", choices=["cpu", "wall"], default="cpu", help="process CPU time (default) or wall time"
    )
    args = parser.parse_args()

    configure()
    seed(args.entries)
    warnings.simplefilter("ignore")  # zeal's N+1 warnings
    ways = variants(args.verbose)
    expected = args.entries + 1
    for name, make in ways.items():  # warm up, and check each sees the same loop
        with make():
            assert len(n_plus_one_loop()) == args.entries, name

    # SQLite in memory runs in this one thread, so its CPU time is all the work; on a shared
    # machine it is far steadier than wall time, which counts other processes' turns too.
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    times: dict[str, list[float]] = {name: [] for name in ways}
    order = list(ways)
    shuffle = random.Random(args.seed).shuffle
    for _ in range(args.rounds):
        shuffle(order)
        for name in order:
            gc.collect()  # each run starts with the same heap
            start = clock()
            with ways[name]():
                n_plus_one_loop()
            times[name].append(clock() - start)

    import django

    def paired(name: str) -> float:
        """Median over rounds of the ratio to bare in the same round: drifts in machine speed
        between rounds cancel out."""
        return statistics.median(t / b for t, b in zip(times[name], times["bare"], strict=True))

    def between(name: str, other: str) -> float:
        return statistics.median(t / o for t, o in zip(times[name], times[other], strict=True))

    print(
        f"N+1 loop: {expected} statements over {args.entries} entries, SQLite in memory, "
        f"Django {django.get_version()}, Python {sys.version.split()[0]}, "
        f"{args.rounds} interleaved rounds, {args.clock} time"
    )
    width = max(map(len, ways))
    best = min(times["bare"])
    print(f"  {'':<{width}}  {'median':>9}  {'ratio':>6}  {'best':>9}  {'ratio':>6}")
    for name in ways:
        median, low = statistics.median(times[name]), min(times[name])
        print(
            f"  {name:<{width}}  {median * 1000:6.1f} ms  {paired(name):5.2f}x"
            f"  {low * 1000:6.1f} ms  {low / best:5.2f}x"
        )
    print("  (ratio: the median over rounds of the time over bare's time in the same round)")
    stacks = "profiler.capture(stacks=True)"
    analysis = between("capture() + n_plus_one()", stacks)
    print(f"  N+1 analysis adds {100 * (analysis - 1):+.1f}% to capture(stacks=True)")
    for other in ("CaptureQueriesContext", "debug-toolbar SQL tracking"):
        print(f"  capture(stacks=True) / {other}: {between(stacks, other):.3f}x")


if __name__ == "__main__":
    main()
