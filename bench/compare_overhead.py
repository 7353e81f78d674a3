"""Time ``profiler.compare`` against running the same strategies bare, the same number of times.

Bare: for every size and strategy, ``repeat + 1`` calls (the warm-up and the timed runs), nothing
else. compare: the same calls, plus capturing the warm-up, timing, normalising and comparing the
results. Rounds alternate between the two and are measured in CPU time of this process
(SQLite runs in-process, so that is all the work, and other programs on the machine do not
count); the ratio of the fastest rounds is the figure, goal at most 1.05; medians are shown too.
Django runs on the tutorial site settings (DEBUG off) against a temporary SQLite database
seeded with the small seed.

Run: .venv/bin/python bench/compare_overhead.py [--rounds 9] [--repeat 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = [10, 100, 1000, 2000]


def setup_django() -> None:
    os.environ["TUTORIAL_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-compare-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_DEBUG"] = "0"  # production-like: Django keeps no log of statements
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tutorial_site.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from tutorial_site.seeding import generate, load

    call_command("migrate", verbosity=0)
    load(generate("small", 0), progress=False)


def strategies() -> dict[str, Callable[[int], Any]]:
    from tutorial_site.blog.models import Entry

    entries = Entry.objects.order_by("id")
    return {
        "lazy": lambda n: [e.blog.name for e in entries[:n]],
        "select_related": lambda n: [e.blog.name for e in entries.select_related("blog")[:n]],
        "prefetch_related": lambda n: [e.blog.name for e in entries.prefetch_related("blog")[:n]],
    }


def bare(table: dict[str, Callable[[int], Any]], repeat: int) -> float:
    start = time.process_time()
    for size in SIZES:
        for strategy in table.values():
            for _ in range(repeat + 1):
                strategy(size)
    return time.process_time() - start


def with_compare(table: dict[str, Callable[[int], Any]], repeat: int) -> float:
    import profiler

    start = time.process_time()
    profiler.compare(table, sizes=SIZES, repeat=repeat, progress=False)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    table = strategies()
    with_compare(table, args.repeat)  # warm caches and install the profiler's hooks once
    bare(table, args.repeat)
    bare_times, compare_times = [], []
    for _ in range(args.rounds):
        bare_times.append(bare(table, args.repeat))
        compare_times.append(with_compare(table, args.repeat))
    runs = len(SIZES) * len(table) * (args.repeat + 1)
    print(f"{len(table)} strategies x sizes {SIZES}, {runs} calls per round, {args.rounds} rounds")
    for name, pick in (("min", min), ("median", statistics.median)):
        bare_s, compare_s = pick(bare_times), pick(compare_times)
        print(
            f"{name:6}  bare {bare_s * 1000:8.1f} ms   compare {compare_s * 1000:8.1f} ms   "
            f"ratio {compare_s / bare_s:.3f}"
        )
    ratio = min(compare_times) / min(bare_times)
    verdict = "ok" if ratio <= 1.05 else "OVER"
    print(f"ratio compare / bare (min of rounds) = {ratio:.3f}  (goal <= 1.05: {verdict})")


if __name__ == "__main__":
    main()
