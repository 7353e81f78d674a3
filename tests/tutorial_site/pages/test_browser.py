"""The pages and the ORM findings panel in Debian's Chromium, on the development server with the
debug toolbar, against a small seeded SQLite database.

Screenshots go to a temporary folder; ``make screenshots`` runs this file with LAB_SCREENSHOTS set
to docs/screenshots to refresh the committed ones.
"""

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tutorial_site.services import Service, http_answers

from ..cli import REPO_ROOT, environment, manage

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """``manage.py runserver`` with the development settings (toolbar on) over a seeded database."""
    var_dir = tmp_path_factory.mktemp("browser-var")
    for command in (
        ["migrate", "--verbosity", "0"],
        ["seed", "--size", "small", "--seed", "0", "--verbosity", "0"],
    ):
        result = manage(*command, var_dir=var_dir)
        assert result.returncode == 0, result.stderr
    env = environment(var_dir, DJANGO_SETTINGS_MODULE="tutorial_site.settings", PYTEST_VERSION=None)
    argv = [sys.executable, "manage.py", "runserver", "--noreload", "--nothreading", "127.0.0.1:{port}"]
    service = Service("runserver", argv, env=env, cwd=REPO_ROOT, ready=lambda s: http_answers(s.url("/")))
    with service:
        yield service


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LAB_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, color_scheme="light")
    yield context.new_page()
    context.close()


def open_panel(page: Any, panel_id: str) -> Any:
    """Click a toolbar panel's button and wait until the panel's content has loaded."""
    page.click(f"#djDebugToolbar a.{panel_id}")
    content = page.locator(f"#{panel_id} .djDebugPanelContent .djdt-scroll")
    content.locator("*").first.wait_for()
    return content


def test_the_panel_names_the_finding_of_the_lazy_page(server: Service, page: Any, screenshots: Path) -> None:
    page.goto(server.url("/blog/entries/?strategy=lazy"))
    subtitle = page.locator("#djdt-ORMFindingsPanel small").inner_text()
    assert subtitle.startswith("2 N+1")
    panel = open_panel(page, "ORMFindingsPanel")
    text = panel.inner_text()
    assert "Entry.blog" in text
    assert "Entry.objects.select_related('blog')" in text
    assert "blog/entry_list.html:" in text
    assert "{{ entry.blog.name }}" in text
    assert "tutorial_site/blog/views.py:" in text
    assert "Entry.objects.prefetch_related('authors')" in text
    page.screenshot(path=screenshots / "orm-findings-panel.png")

    page.click("#ORMFindingsPanel .djDebugClose")
    sql = open_panel(page, "SQLPanel")
    assert "53 queries including 50 similar" in sql.inner_text()
    page.screenshot(path=screenshots / "sql-panel.png")


def test_the_optimized_page_has_no_finding(server: Service, page: Any) -> None:
    page.goto(server.url("/blog/entries/?strategy=optimized"))
    assert page.locator("#djdt-ORMFindingsPanel small").inner_text() == "no N+1"
    assert "No N+1 queries" in open_panel(page, "ORMFindingsPanel").inner_text()


def test_two_pages_as_a_visitor_sees_them(server: Service, page: Any, screenshots: Path) -> None:
    page.goto(server.url("/blog/entries/?strategy=lazy"))
    page.click("#djHideToolBarButton")  # the toolbar remembers it: a small handle from now on
    assert page.locator("h1").inner_text() == "Entries"
    assert page.locator("#page-body tbody tr").count() == 25
    page.screenshot(path=screenshots / "entry-list.png")
    page.goto(server.url("/pizzeria/"))
    assert page.locator("#page-body section.restaurant").count() == 12
    page.screenshot(path=screenshots / "pizzeria-menu.png")
