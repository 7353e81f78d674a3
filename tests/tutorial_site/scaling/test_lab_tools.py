"""The lab's smaller tools: switching database aliases, concurrent requests, cache timings, plans side
by side and the figures. (The lab's private Redis is tests/tutorial_site/workers/test_services.py's.)"""

import statistics
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connections

from tutorial_site.scaling import charts
from tutorial_site.scaling.caching import CacheTiming, rendered_at, time_cache
from tutorial_site.scaling.databases import use_databases
from tutorial_site.scaling.display import side_by_side
from tutorial_site.scaling.load import LoadResult, send_requests
from tutorial_site.scaling.plans import TimedPlan, execution_ms
from tutorial_site.scaling.replication import LagSample
from tutorial_site.scaling.stats import STATS_KEY, cached_blog_stats
from tutorial_site.services import Service

MEMORY = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}


def test_use_databases_adds_an_alias_and_restore_removes_it() -> None:
    with use_databases({"extra": MEMORY}) as switch:
        assert connections["extra"].settings_dict["NAME"] == ":memory:"
        assert connections["extra"].settings_dict["CONN_MAX_AGE"] == 0  # Django's defaults filled in
        assert switch.aliases == ("extra",)
    assert "extra" not in connections.settings


def test_use_databases_replaces_an_alias_and_restores_it() -> None:
    before = connections.settings["other"]
    switch = use_databases({"other": {**MEMORY, "TEST": {"NAME": "switched"}}})
    assert connections["other"].settings_dict["TEST"]["NAME"] == "switched"
    switch.restore()
    switch.restore()  # twice is harmless
    assert connections.settings["other"] is before


def test_send_requests_counts_answers_and_failures(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("hello")
    argv = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "{port}"]
    with Service("http", argv, cwd=tmp_path) as server:
        sent = send_requests(server.url("/page.txt"), requests=12, concurrency=4)
        missing = send_requests(server.url("/missing"), requests=3, concurrency=2)
    assert (sent.ok, sent.failed, sent.first_error) == (12, 0, None)
    assert (missing.ok, missing.failed, missing.first_error) == (0, 3, "HTTP 404")
    with pytest.raises(ValueError, match="must be at least 1"):
        send_requests(server.url("/"), requests=0, concurrency=1)


@pytest.mark.django_db
def test_time_cache_counts_the_queries_of_a_miss_and_of_a_hit(blogs: list, fresh_cache: object) -> None:
    timing = time_cache("stats", cached_blog_stats, clear=lambda: cache.delete(STATS_KEY), repeat=3)
    assert (timing.miss_queries, timing.hit_queries) == (1, 0)
    assert len(timing.miss) == len(timing.hit) == 3
    assert timing.median_ms("miss") == statistics.median(timing.miss) * 1000
    assert "stats: miss" in str(timing)
    with pytest.raises(ValueError, match="'miss' or 'hit'"):
        timing.median_ms("warm")


def test_rendered_at_needs_a_page_that_shows_it() -> None:
    from django.http import HttpResponse

    assert (
        rendered_at(HttpResponse('<time data-rendered-at="2026-01-01T00:00:00+00:00">'))
        == "2026-01-01T00:00:00+00:00"
    )
    with pytest.raises(ValueError, match="shows no render time"):
        rendered_at(HttpResponse("<p>no time</p>", status=404))


def test_execution_ms_reads_explain_analyze_only() -> None:
    assert execution_ms("Seq Scan on t\nPlanning Time: 0.1 ms\nExecution Time: 0.161 ms") == 0.161
    with pytest.raises(ValueError, match="not EXPLAIN ANALYZE output"):
        execution_ms("Seq Scan on t")


def test_side_by_side_escapes_html_and_reads_as_text() -> None:
    shown = side_by_side({"before": "Seq Scan <t>", "after": "Index Scan"})
    assert "Seq Scan &lt;t&gt;" in shown._repr_html_()
    assert repr(shown) == "── before ──\nSeq Scan <t>\n\n── after ──\nIndex Scan"
    with pytest.raises(ValueError, match="at least one text"):
        side_by_side({})


SAMPLES = {
    "cache": ([CacheTiming("stats", (0.005, 0.006), (0.0002, 0.0002), 1, 0)], "1 query"),
    "connections": (
        [
            LoadResult("new connection per request", 100, 0, 1.0, 6, 116),
            LoadResult("pool", 100, 2, 0.4, 4, 4, "HTTP 500"),
        ],
        "new connection per request",
    ),
    "lag": (
        [LagSample(1, 120, 0.0003), LagSample(1, 120, 0.0004), LagSample(100, 60000, 0.001)],
        "1 row\n(0.1 kB of WAL)",
    ),
    "plans": ([TimedPlan("before", "Seq Scan on blog_entry  (cost=0..1)", (0.16, 0.17))], "before\nSeq Scan"),
}


def texts_of(figure: object) -> list[str]:
    return [
        text.get_text()
        for ax in figure.axes  # type: ignore[attr-defined]
        for text in [*ax.texts, *ax.get_xticklabels(), *ax.get_yticklabels()]
    ]


@pytest.mark.parametrize("name", list(SAMPLES))
def test_each_figure_draws_its_measurements_or_says_nothing_was_measured(name: str) -> None:
    draw = getattr(charts, f"{name}_figure")
    measurements, label = SAMPLES[name]
    assert label in texts_of(draw(measurements))
    assert any("nothing measured" in text for text in texts_of(draw([])))


def test_the_connections_figure_shows_failures_and_counts() -> None:
    texts = texts_of(charts.connections_figure(SAMPLES["connections"][0]))
    assert " 250/s, 2 failed" in texts
    assert " 116" in texts
