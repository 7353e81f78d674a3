"""The lab in a real browser: JupyterLab opens as a learner gets it, and the notebooks' outputs read well.

One JupyterLab server and one Chromium page for the module (``tests/lab/jupyterlab.py``); notebooks 02
and 03 are run in the page as a learner runs them (Shift+Enter, Run > Run All Cells). Screenshots go to
``SCREENSHOTS_DIR`` (the ones in ``docs/screenshots/`` are made with
``SCREENSHOTS_DIR=docs/screenshots .venv/bin/python -m pytest tests/lab``), else to a temporary folder.

Run by the notebooks leg of ``make test`` (SQLite), once, like the other tests that execute notebooks.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import pytest

import profiler
from profiler.ipython import Options, QueriesReport
from tests.profiler.factories import blogs_with_one_entry_each
from tutorial_site.blog.models import Entry
from tutorial_site.services import Service

from .jupyterlab import (
    BROKEN_WORDS_JS,
    CLIPPED_CELLS_JS,
    COLUMN_WIDTHS_JS,
    CONTRAST_JS,
    SCROLLING_BLOCKS_JS,
    copy_notebooks,
    lab_service,
    seed_database,
    sql_share,
)

pytestmark = [pytest.mark.browser, pytest.mark.notebooks]

RUN_TIMEOUT = 60_000  # ms: a cold kernel imports Django, pandas and matplotlib on a busy machine
VIEWPORT = {"width": 1280, "height": 820}
ACTIVE_NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
KERNEL_READY = re.compile(r"Python 3 \(ipykernel\) \| Idle")


@pytest.fixture(scope="module")
def lab_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lab")
    copy_notebooks(folder / "root" / "notebooks")
    seed_database(folder / "var")
    return folder


@pytest.fixture(scope="module")
def lab(lab_folder: Path) -> Iterator[tuple[Service, str]]:
    service, token = lab_service(lab_folder)
    with service:
        yield service, token


@contextmanager
def opened_lab(browser: Any, lab: tuple[Service, str]) -> Iterator[Any]:
    """A new browser window on the lab as a learner opens it: the server's address with the token."""
    service, token = lab
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(service.url(f"/?token={token}"))
        page.locator(".jp-DirListing-item").first.wait_for()
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def page(browser: Any, lab: tuple[Service, str]) -> Iterator[Any]:
    """One window for the module's notebooks."""
    with opened_lab(browser, lab) as page:
        yield page


def open_notebook(page: Any, name: str) -> Any:
    """Double-click ``name`` in the file browser; the notebook's panel once its kernel is idle."""
    page.locator(".jp-DirListing-item", has_text=name).dblclick()
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text=name).wait_for()
    # The status bar names the active notebook's kernel; it reads "No Kernel" until one is connected.
    page.locator(".jp-StatusBar-Widget", has_text=KERNEL_READY).wait_for(timeout=RUN_TIMEOUT)
    return page.locator(ACTIVE_NOTEBOOK)


def wait_until_done(page: Any) -> None:
    """Until no cell of the active notebook is queued or running (no ``[*]`` prompt)."""
    page.wait_for_function(
        f"""() => ![...document.querySelectorAll('{ACTIVE_NOTEBOOK} .jp-InputPrompt')]
                   .some((prompt) => prompt.textContent.includes('*'))""",
        timeout=RUN_TIMEOUT,
    )


def error_outputs(panel: Any) -> list[str]:
    errors = panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
    return errors.all_inner_texts()


def window_shot(page: Any, element: Any, path: Path) -> None:
    """A screenshot of the window with ``element`` at the top of the notebook."""
    element.evaluate("(element) => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)  # let the notebook's windowing render what came into view
    page.screenshot(path=path)


def switch_theme(page: Any, theme: str) -> None:
    """Settings > Theme > ``theme``, as a learner switches it."""
    page.get_by_role("menuitem", name="Settings", exact=True).click()
    page.locator('li[data-type="submenu"]', has_text=re.compile(r"^Theme$")).hover()
    page.get_by_role("menuitem", name=theme, exact=True).click()
    light = "false" if "Dark" in theme else "true"
    page.locator(f'body[data-jp-theme-light="{light}"]').wait_for(state="attached")


@pytest.fixture(scope="module")
def queries_cell(page: Any) -> Any:
    """Notebook 02 run up to its first ``%%queries`` cell with Shift+Enter; that cell."""
    panel = open_notebook(page, "02_select_vs_prefetch.ipynb")
    panel.locator(".jp-Cell").first.click()
    page.keyboard.press("Escape")
    for _ in range(6):  # title, setup(), prose, imports, prose, %%queries
        page.keyboard.press("Shift+Enter")
    cell = panel.locator(".jp-CodeCell").filter(has_text="%%queries --n-plus-one").first
    cell.locator(".profiler-capture table").wait_for(timeout=RUN_TIMEOUT)
    wait_until_done(page)
    assert error_outputs(panel) == []
    return cell


@pytest.fixture(scope="module")
def report_cells(page: Any) -> tuple[Any, Any]:
    """Notebook 03 run whole with Run > Run All Cells; its report DataFrame cell and chart cell."""
    panel = open_notebook(page, "03_annotate_vs_values.ipynb")
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator('li[data-command="runmenu:run-all"]').click()
    chart = panel.locator(".jp-CodeCell").filter(has_text="plot.bar").first
    chart.locator(".jp-OutputArea-output img").wait_for(timeout=RUN_TIMEOUT)
    wait_until_done(page)
    assert error_outputs(panel) == []
    frame = panel.locator(".jp-CodeCell").filter(has_text="report.round(2)").first
    return frame, chart


def column_cells(table: Any, header: str) -> Any:
    """The body cells of ``table`` under the header ``header``."""
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    return table.locator(f"tbody > tr > td:nth-child({headers.index(header) + 1})")


def assert_statement_table_reads_well(capture: Any) -> None:
    table = capture.locator("table").first
    table.scroll_into_view_if_needed()
    widths = table.evaluate(COLUMN_WIDTHS_JS)
    print(f"statement table: {widths}, SQL {sql_share(widths):.0%}")  # shown with -s or on failure
    assert sql_share(widths) >= 0.5, f"the SQL column is {sql_share(widths):.0%} of the table: {widths}"
    for narrow in ("#", "kind", "time"):
        assert widths["columns"][narrow] <= 0.1 * widths["table"], (narrow, widths)
    assert table.evaluate(CLIPPED_CELLS_JS) == []
    assert table.evaluate(SCROLLING_BLOCKS_JS) == [], "SQL or a call site needs scrolling"
    sql_cells = column_cells(table, "SQL")
    assert sql_cells.count() >= 2
    for index in range(sql_cells.count()):
        assert sql_cells.nth(index).evaluate(BROKEN_WORDS_JS) == [], "an identifier wraps over two lines"


# --- the lab itself ------------------------------------------------------------------------------


def test_the_lab_opens_on_the_notebooks_folder_without_the_news_pop_up(
    browser: Any, lab: tuple[Service, str]
) -> None:
    service, token = lab
    with opened_lab(browser, lab) as page:
        notification = page.request.get(
            service.url("/lab/api/settings/@jupyterlab/apputils-extension:notification"),
            headers={"Authorization": f"token {token}"},
        ).json()["schema"]["properties"]
        assert notification["fetchNews"]["default"] == "false", (
            "the project's JupyterLab settings are not installed in this environment: run `make install` "
            "(it runs lab/install.py)"
        )
        assert page.url.split("?")[0].endswith("/lab/tree/notebooks")
        assert "notebooks" in page.locator(".jp-BreadCrumbs").inner_text()
        names = page.locator(".jp-DirListing-itemName").all_inner_texts()
        assert "02_select_vs_prefetch.ipynb" in names
        page.wait_for_timeout(3_000)  # without the settings, the question shows as soon as the lab is up
        toasts = page.locator(".jp-toast-message").all_inner_texts()
        assert not [text for text in toasts if "news" in text.lower()], toasts


# --- notebook 02: the statement table of %%queries ----------------------------------------------


def test_queries_table_gives_the_sql_most_of_the_width(
    page: Any, screenshots: Path, queries_cell: Any
) -> None:
    capture = queries_cell.locator(".profiler-capture")
    assert_statement_table_reads_well(capture)
    finding = capture.locator("li").first.inner_text()
    assert "Entry.blog" in finding
    assert "select_related('blog')" in finding
    window_shot(page, queries_cell, screenshots / "lab-02-queries-light.png")


# --- notebook 03: a DataFrame and a chart --------------------------------------------------------


def test_report_frame_and_chart_render_whole(
    page: Any, screenshots: Path, report_cells: tuple[Any, Any]
) -> None:
    frame_cell, chart_cell = report_cells
    table = frame_cell.locator("table.dataframe")
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    assert {"entries", "comments", "rating", "year"} <= set(headers)
    assert table.locator("tbody tr").count() == 7  # 2004-2010
    assert table.evaluate(CLIPPED_CELLS_JS) == []
    output = frame_cell.locator(".jp-OutputArea-output").last.bounding_box()
    assert table.bounding_box()["width"] <= output["width"] + 1
    chart = chart_cell.locator(".jp-OutputArea-output img")
    assert chart.evaluate("(img) => img.complete && img.naturalWidth") > 300
    assert 300 < chart.bounding_box()["width"] <= output["width"] + 1
    window_shot(page, table, screenshots / "lab-03-report-light.png")


# --- committed outputs: JupyterLab sanitizes an untrusted notebook's HTML ------------------------


@pytest.mark.django_db
@pytest.mark.profiler_allow("Entry.blog")  # the N+1 the table shows, on purpose
def test_an_untrusted_statement_table_keeps_its_layout(
    page: Any, screenshots: Path, lab_folder: Path
) -> None:
    """A learner opening a cloned notebook sees its committed outputs through JupyterLab's sanitizer,
    which drops styles it does not know (``var()`` colours): the layout must not depend on them."""
    blogs_with_one_entry_each(3)
    with profiler.capture() as captured:
        [entry.blog.name for entry in Entry.objects.order_by("id")]
    html = QueriesReport(captured, Options(n_plus_one=True))._repr_html_()
    assert "var(--jp-" in html
    cell = nbformat.v4.new_code_cell(
        "%%queries --n-plus-one\nnames = [e.blog.name for e in Entry.objects.order_by('id')]",
        outputs=[nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": "..."})],
    )
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, lab_folder / "root" / "notebooks" / "untrusted.ipynb")
    page.get_by_title("Refresh the file browser", exact=False).first.click()
    panel = open_notebook(page, "untrusted.ipynb")
    capture = panel.locator(".profiler-capture")
    capture.wait_for()
    assert "var(--jp-" not in capture.evaluate("(element) => element.outerHTML"), "the output was trusted"
    assert_statement_table_reads_well(capture)
    assert "Entry.blog" in capture.locator("li").first.inner_text()
    capture.screenshot(path=screenshots / "lab-untrusted-queries.png")


# --- the dark theme ------------------------------------------------------------------------------


def test_dark_theme_keeps_every_output_readable(
    page: Any, screenshots: Path, queries_cell: Any, report_cells: tuple[Any, Any]
) -> None:
    switch_theme(page, "JupyterLab Dark")
    try:
        page.locator(".lm-TabBar-tab", has_text="02_select_vs_prefetch").click()
        capture = queries_cell.locator(".profiler-capture")
        capture.scroll_into_view_if_needed()
        table = capture.locator("table").first
        readable = {
            "summary": capture.locator("strong").first,
            "finding": capture.locator("li").first,
            "kind": column_cells(table, "kind").first,
            "time": column_cells(table, "time").first,
            "SQL identifiers": column_cells(table, "SQL").first.locator("pre").first,
            "call site": column_cells(table, "call site").first.locator("code"),
        }
        for what, element in readable.items():
            assert element.evaluate(CONTRAST_JS) >= 4.5, what
        keyword = capture.locator('pre span[style*="keyword"]').first
        assert keyword.evaluate(CONTRAST_JS) >= 3, "SQL keywords"
        window_shot(page, queries_cell, screenshots / "lab-02-queries-dark.png")

        page.locator(".lm-TabBar-tab", has_text="03_annotate_vs_values").click()
        frame_cell, _ = report_cells
        frame_cell.scroll_into_view_if_needed()
        assert frame_cell.locator("table.dataframe td").first.evaluate(CONTRAST_JS) >= 4.5
        window_shot(page, frame_cell.locator("table.dataframe"), screenshots / "lab-03-report-dark.png")
    finally:
        switch_theme(page, "JupyterLab Light")
