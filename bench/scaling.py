"""Notebook 07's measurements, longer: cache hit vs miss, the pub_date index, a Celery task's round
trip, connections per setup and replication lag, each printed as a ratio within this one run.

Everything runs on the lab's own servers (a private Redis, a PostgreSQL primary and replica under a
temporary directory, a Celery worker, PgBouncer, the site under gunicorn), started and stopped here;
a service that is not installed is skipped with its reason. The machine's other work makes single times noisy:
compare the ratios.

Run: .venv/bin/python bench/scaling.py [--requests 1000]
"""

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> Path:
    """Migrate and seed a SQLite database in a temporary var directory (the lab copies it without
    PostgreSQL), and set Django up on it."""
    import subprocess

    var_dir = Path(tempfile.mkdtemp(prefix="bench-scaling-"))
    var_dir.chmod(0o711)  # PostgreSQL's user reaches its data directory inside
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "REPLICA_URL")}
    env.update(TUTORIAL_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="tutorial_site.settings")
    for command in (["migrate", "--verbosity", "0"], ["seed", "--size", "small", "--verbosity", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    for name in ("DATABASE_URL", "REDIS_URL", "REPLICA_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    from tutorial_site.notebook import setup

    setup()
    return var_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per connection setup")
    parser.add_argument("--repeat", type=int, default=200, help="cache calls and plan runs per kind")
    parser.add_argument("--tasks", type=int, default=50, help="Celery tasks sent one after the other")
    args = parser.parse_args()
    var_dir = setup_django()
    from django.core.cache import cache
    from django.test import Client

    import profiler
    from tutorial_site.blog.models import Entry
    from tutorial_site.scaling import indexes
    from tutorial_site.scaling.caching import time_cache
    from tutorial_site.scaling.lab import ScalingLab
    from tutorial_site.scaling.plans import time_plan
    from tutorial_site.scaling.replication import describe_lag
    from tutorial_site.scaling.stats import STATS_KEY, cached_blog_stats
    from tutorial_site.workers.tasks import recompute_blog_statistics

    lab = ScalingLab.start(var_dir / "scaling")
    try:
        print("\n== cache (median per call)")
        visitor = Client(HTTP_HOST="localhost")
        for timing in (
            time_cache(
                "page", lambda: visitor.get("/scaling/cached/"), clear=cache.clear, repeat=args.repeat
            ),
            time_cache("stats", cached_blog_stats, clear=lambda: cache.delete(STATS_KEY), repeat=args.repeat),
        ):
            print(timing)

        print("\n== the pub_date index (EXPLAIN ANALYZE)")
        if lab.postgres:
            march = Entry.objects.filter(
                pub_date__range=(datetime.date(2006, 3, 1), datetime.date(2006, 3, 31))
            )
            with profiler.capture() as captured:
                list(march)
            before = time_plan("without the index", captured, 0, repeat=args.repeat)
            indexes.apply(indexes.pub_date_index_migration())
            after = time_plan("with the index", captured, 0, repeat=args.repeat)
            print(before, after, sep="\n")
            print(f"  {before.median_ms / after.median_ms:.1f}x faster with the index (medians)")
        else:
            print("Skipped: EXPLAIN ANALYZE needs the lab's PostgreSQL.")

        print("\n== a Celery task (one worker, one pool process): delay() and the round trip")
        if lab.start_worker():
            sent, answered = [], []
            for _ in range(args.tasks):
                start = time.perf_counter()
                result = recompute_blog_statistics.delay()
                sent.append(time.perf_counter() - start)
                result.get(timeout=60)
                answered.append(time.perf_counter() - start)
            delay_ms, round_trip_ms = statistics.median(sent) * 1000, statistics.median(answered) * 1000
            print(f"delay() {delay_ms:.2f} ms, answer {round_trip_ms:.1f} ms (medians of {args.tasks})")
            print(f"  delay() returns {round_trip_ms / delay_ms:.0f}x sooner than the answer arrives")
            lab.stop_celery()

        print("\n== connections (the site under gunicorn, 16 client threads)")
        lab.start_pgbouncer(pool_size=4)
        results = lab.compare_connections(requests=args.requests)
        for result in results:
            print(result)
        if results:
            baseline = results[0].requests_per_second
            for result in results[1:]:
                ratio = result.requests_per_second / baseline
                print(f"  {result.label}: {ratio:.2f}x the requests/s of {results[0].label}")

        print("\n== replication lag")
        lab.start_replica()
        print("\n".join(describe_lag(lab.measure_lag(rows=(1, 100, 2000), repeat=50))))

    finally:
        lab.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
