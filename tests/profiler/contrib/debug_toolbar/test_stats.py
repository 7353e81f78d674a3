"""orm_findings(): what the panel shows, as plain data, from a capture (no toolbar needed)."""

import json

import pytest

import profiler
from profiler.contrib.debug_toolbar.stats import for_display, orm_findings
from tests.tutorial_site.pages.site_data import populate
from tutorial_site.blog.models import Entry

pytestmark = pytest.mark.profiler_allow  # the stats are tested on N+1s made on purpose


@pytest.fixture
def rows(db: None) -> None:
    populate(2)


def test_findings_outside_templates_point_at_the_code_line(rows: None) -> None:
    with profiler.capture() as queries:
        names = [entry.blog.name for entry in Entry.objects.order_by("id")]
    stats = orm_findings(queries, aliases=["default"])
    assert len(names) == 4
    [finding] = stats["n_plus_one"]
    assert finding["relation"] == "Entry.blog"
    assert finding["count"] == 4
    assert finding["template"] is None
    assert finding["site"]["where"].startswith("tests/profiler/contrib/debug_toolbar/test_stats.py:")
    assert finding["site"]["code"] == 'names = [entry.blog.name for entry in Entry.objects.order_by("id")]'
    assert "?" in finding["sql"]  # a fingerprint: parameters left out
    assert stats["total"] == 5
    assert stats["aliases"] == [{"alias": "default", "count": 5, "time_ms": stats["aliases"][0]["time_ms"]}]
    assert json.loads(json.dumps(stats)) == stats


def test_duplicates_are_grouped_most_first(rows: None) -> None:
    with profiler.capture() as queries:
        for _ in range(3):
            Entry.objects.filter(pk=1).first()
        for _ in range(2):
            Entry.objects.filter(pk=2).first()
    stats = orm_findings(queries)
    assert [group["count"] for group in stats["duplicates"]] == [3, 2]
    assert stats["duplicate_statements"] == 5
    assert stats["duplicates"][0]["params"] == "(1,)"


def test_sql_is_laid_out_only_for_display(rows: None) -> None:
    with profiler.capture() as queries:
        [entry.blog.name for entry in Entry.objects.order_by("id")]
    stats = orm_findings(queries)
    assert "\n" not in stats["n_plus_one"][0]["sql"]  # kept on one line while answering the request
    shown = for_display(stats)
    assert shown["n_plus_one"][0]["sql"].splitlines()[1] == 'FROM "blog_blog"'
    assert stats["n_plus_one"][0]["sql"] != shown["n_plus_one"][0]["sql"]  # a copy: stats unchanged
