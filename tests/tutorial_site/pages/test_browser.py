"""The ORM findings panel in Debian's Chromium, on the site served as ``make serve`` serves it (daphne
on the ASGI application, development settings with the debug toolbar) over the small seeded
database (``seeded_site``). ``make screenshots`` saves the panel and the SQL panel in docs/screenshots.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tutorial_site.services import Service

pytestmark = pytest.mark.browser


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


def test_the_panel_names_the_finding_of_the_lazy_page(
    seeded_site: Service, page: Any, screenshots: Path
) -> None:
    page.goto(seeded_site.url("/blog/entries/?strategy=lazy"))
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


def test_the_optimized_page_has_no_finding(seeded_site: Service, page: Any) -> None:
    page.goto(seeded_site.url("/blog/entries/?strategy=optimized"))
    assert page.locator("#djdt-ORMFindingsPanel small").inner_text() == "no N+1"
    assert "No N+1 queries" in open_panel(page, "ORMFindingsPanel").inner_text()
