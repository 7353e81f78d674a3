"""The ORM findings panel, run the way django-debug-toolbar's tests run panels (see toolbar.py)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.http import HttpRequest, HttpResponse
from django.test import AsyncClient, override_settings

from tests.tutorial_site.pages.site_data import populate
from tutorial_site.blog.models import Blog, Entry

from .toolbar import PANEL_ID, ToolbarClient, reloaded, run_panel

pytestmark = pytest.mark.profiler_allow  # the panel is tested on N+1s made on purpose

ROOT = Path(__file__).resolve().parents[4]
ENTRY_LIST = ROOT / "tutorial_site" / "blog" / "templates" / "blog" / "entry_list.html"
ROWS = 3  # populate(3): 9 entries, all on the first page


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.fixture
def rows(db: None) -> None:
    populate(ROWS)


def test_the_lazy_entry_list_names_entry_blog_its_template_line_and_the_fix(rows: None) -> None:
    stats = run_panel("/blog/entries/?strategy=lazy").get_stats()
    findings = {finding["relation"]: finding for finding in stats["n_plus_one"]}
    assert set(findings) == {"Entry.blog", "Entry.authors"}
    blog = findings["Entry.blog"]
    assert blog["count"] == ROWS * ROWS
    assert blog["fix"] == "Entry.objects.select_related('blog')"
    line = line_of(ENTRY_LIST, "{{ entry.blog.name }}")
    assert blog["template"] == {
        "name": "blog/entry_list.html",
        "line": line,
        "source": "{{ entry.blog.name }}",
        "where": f"blog/entry_list.html:{line} " + "{{ entry.blog.name }}",
    }
    assert re.fullmatch(r"tutorial_site/blog/views\.py:\d+ in entry_list", blog["site"]["where"])
    assert blog["site"]["code"].startswith("return render(")
    authors = findings["Entry.authors"]
    assert authors["fix"] == "Entry.objects.prefetch_related('authors')"
    assert authors["template"]["name"] == "blog/_authors.html"  # the included template, not its parent
    assert authors["template"]["source"].startswith("{% for author in entry.authors.all")


def test_the_optimized_entry_list_has_no_finding(rows: None) -> None:
    panel = run_panel("/blog/entries/?strategy=optimized")
    stats = panel.get_stats()
    assert stats["n_plus_one"] == []
    assert stats["unused_eager_loads"] == []
    assert stats["duplicates"] == []
    assert panel.nav_subtitle == "no N+1"
    assert "No N+1 queries" in panel.content


def test_the_stats_are_json_and_come_back_from_the_toolbars_store(rows: None) -> None:
    panel = run_panel("/blog/entries/?strategy=lazy")
    stats = panel.get_stats()
    assert json.loads(json.dumps(stats)) == stats  # plain JSON: no encoder fallback needed
    stored = reloaded(panel)
    assert stored.from_store
    assert stored.get_stats() == stats
    html = stored.content
    assert "Entry.objects.select_related(&#x27;blog&#x27;)" in html  # escaped
    assert "{{ entry.blog.name }}" in html
    assert stored.nav_subtitle == panel.nav_subtitle
    assert panel.nav_subtitle.startswith("2 N+1, ")


@pytest.mark.django_db(databases=["default", "other"])
def test_statements_are_counted_per_alias_in_order() -> None:
    def two_databases(request: HttpRequest) -> HttpResponse:
        list(Blog.objects.using("other").all())
        list(Blog.objects.all())
        return HttpResponse("ok")

    stats = run_panel("/", two_databases).get_stats()
    assert [row["alias"] for row in stats["aliases"]] == ["default", "other"]
    assert [row["count"] for row in stats["aliases"]] == [1, 1]
    assert stats["total"] == 2


def test_an_alias_without_statements_is_listed_with_zero(db: None) -> None:
    stats = run_panel("/", lambda request: HttpResponse(str(Blog.objects.count()))).get_stats()
    assert stats["aliases"] == [
        {"alias": "default", "count": 1, "time_ms": stats["aliases"][0]["time_ms"]},
        {"alias": "other", "count": 0, "time_ms": 0.0},
    ]


def test_unused_eager_loads_and_duplicates(rows: None) -> None:
    def wasteful(request: HttpRequest) -> HttpResponse:
        headlines = [entry.headline for entry in Entry.objects.select_related("blog")]
        first = Blog.objects.order_by("id").first()
        again = Blog.objects.order_by("id").first()
        return HttpResponse(f"{len(headlines)} {first} {again}")

    panel = run_panel("/", wasteful)
    stats = panel.get_stats()
    [unused] = stats["unused_eager_loads"]
    assert (unused["model"], unused["call"]) == ("Entry", "select_related('blog')")
    assert "remove 'blog'" in unused["advice"]
    assert unused["site"]["where"].startswith("tests/profiler/contrib/debug_toolbar/test_panel.py:")
    [duplicate] = stats["duplicates"]
    assert duplicate["count"] == 2
    assert "blog_blog" in duplicate["sql"]
    assert stats["duplicate_statements"] == 2
    assert panel.nav_subtitle == "no N+1, 1 unused, 2 duplicates"


@override_settings(DEBUG=True)
def test_the_toolbar_shows_the_panel_and_serves_its_content(rows: None) -> None:
    client = ToolbarClient()
    response = client.get("/blog/?strategy=lazy")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="djdt-ORMFindingsPanel"' in html
    assert "1 N+1" in html  # the nav subtitle: Blog.entry_set, counted per blog
    request_id = response.toolbar.request_id
    rendered = client.get("/__debug__/render_panel/", {"request_id": request_id, "panel_id": PANEL_ID})
    content = rendered.json()["content"]
    assert "Blog.entry_set" in content
    assert "Blog.objects.annotate(Count(&#x27;entry&#x27;))" in content
    assert "{{ blog.entry_set.count }}" in content


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_the_panel_works_under_asgi() -> None:
    populate(ROWS)
    response = async_to_sync(AsyncClient().get)("/blog/entries/?strategy=lazy")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="djdt-ORMFindingsPanel"' in html
    assert "2 N+1" in html


def test_importing_profiler_never_imports_the_toolbar() -> None:
    probe = "import sys, profiler, profiler.contrib.debug_toolbar; print('debug_toolbar' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
