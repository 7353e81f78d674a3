"""How a capture looks: str(), the HTML repr for JupyterLab, the pandas frame."""

import re
import sys
from html.parser import HTMLParser

import pytest
from django.db import connection

import profiler
from profiler.render import frame as frame_render
from profiler.render import html as html_render
from tests.profiler.factories import blogs_with_one_entry_each
from tutorial_site.blog.models import Blog, Entry

# The N+1 the renderers must show, built on purpose.
pytestmark = pytest.mark.profiler_allow("Entry.blog")

NASTY = "<script>alert('x')</script> & \"quotes\""


@pytest.fixture
def blogs(db: None) -> list[Blog]:
    made = blogs_with_one_entry_each(3)
    return made


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    assert parser.open == []  # well nested and closed
    return parser


def test_str_has_a_summary_call_sites_and_formatted_sql(blogs: list[Blog]) -> None:
    with profiler.capture() as captured:
        Blog.objects.filter(name="Blog 1").exists()
        Blog.objects.filter(name="Blog 1").exists()
    text = str(captured)
    lines = text.splitlines()
    assert re.fullmatch(r"2 queries in \d+\.\d ms, 2 duplicates in 1 group, 2 similar in 1 group", lines[0])
    assert re.match(r"\[1\] default SELECT \d+\.\d\d ms  at tests/profiler/test_render\.py:\d+", lines[1])
    assert f'    FROM "{Blog._meta.db_table}"' in text
    params = [line for line in lines if line.startswith("    params: ")]
    assert len(params) == 2
    assert "'Blog 1'" in params[0]
    assert repr(captured).startswith("<Capture 2 queries, ")


def test_str_names_the_n_plus_one_and_its_fix(blogs: list[Blog]) -> None:
    with profiler.capture() as captured:
        names = [e.blog.name for e in Entry.objects.all()]
    assert len(names) == 3
    text = str(captured)
    assert "1 N+1 finding" in text.splitlines()[0]
    assert "select_related('blog')" in text


def test_html_summary_table_and_highlighted_sql(blogs: list[Blog]) -> None:
    with profiler.capture() as captured:
        [e.blog.name for e in Entry.objects.all()]
    html = captured._repr_html_()
    tags = _parse(html).tags
    assert "script" not in tags
    assert "style" not in tags  # inline styles only: JupyterLab keeps them in untrusted output
    assert tags.count("tr") == 1 + len(captured)
    assert "4 queries in" in html
    assert "1 N+1 finding" in html
    assert "select_related(&#x27;blog&#x27;)" in html
    assert '<span style="color' in html  # Pygments highlighting
    assert "test_render.py:" in html  # call sites


def test_html_durations_carry_their_unit(blogs: list[Blog]) -> None:
    with profiler.capture() as captured:
        [e.blog.name for e in Entry.objects.all()]
    html = captured._repr_html_()
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    durations = [cell for cell in cells if re.fullmatch(r"\d+\.\d+ ms", cell)]
    assert len(durations) == len(captured)
    # A bare number would escape the notebook sanitizers, which match "<number> ms".
    assert not [cell for cell in cells if re.fullmatch(r"\d+\.\d+", cell)]
    assert re.search(r"<strong>4 queries in \d+\.\d ms", html)


def test_html_collapses_long_sql(blogs: list[Blog]) -> None:
    with profiler.capture() as captured:
        list(Entry.objects.select_related("blog").filter(rating__gte=1).order_by("headline"))
    html = captured._repr_html_()
    assert "<details>" in html  # the long joined SELECT is collapsible
    assert "more lines</summary>" in html


def test_html_escapes_everything(db: None) -> None:
    Blog.objects.create(name=NASTY, tagline="")
    with profiler.capture() as captured, connection.cursor() as cursor:
        Blog.objects.filter(name=NASTY).exists()
        cursor.execute("SELECT '<b>bold</b>'")
    html = captured._repr_html_()
    tags = _parse(html).tags
    assert "script" not in tags
    assert "b" not in tags
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_html_without_pygments_is_plain_escaped_text(
    blogs: list[Blog], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pygments", None)
    html_render.highlight_sql.cache_clear()
    try:
        with profiler.capture() as captured, connection.cursor() as cursor:
            cursor.execute("SELECT 1 WHERE 2 < 3")
        html = captured._repr_html_()
    finally:
        html_render.highlight_sql.cache_clear()
    assert "<span" not in html
    assert "SELECT 1\nWHERE 2 &lt; 3" in html


def test_long_captures_fold_and_stop(db: None) -> None:
    with profiler.capture() as captured, connection.cursor() as cursor:
        for i in range(html_render.ROWS_MAX + 10):
            cursor.execute("SELECT %s", [i])
    html = captured._repr_html_()
    _parse(html)
    assert f"{html_render.ROWS_MAX - html_render.ROWS_OPEN} more statements</summary>" in html
    assert "10 more statements not shown" in html
    assert html.count("<tr>") == html_render.ROWS_MAX + 2  # two header rows


def test_frame_has_one_row_per_statement(blogs: list[Blog]) -> None:
    with profiler.capture() as captured:
        Blog.objects.filter(name="Blog 0").exists()
        Blog.objects.filter(pk=blogs[0].pk).update(tagline="x")
    frame = captured.to_frame()
    assert list(frame.columns) == list(frame_render.COLUMNS)
    assert list(frame.index) == [1, 2]
    assert frame.index.name == "index"
    first = frame.loc[1]
    assert first["kind"] == "SELECT"
    assert first["tables"] == Blog._meta.db_table
    assert first["alias"] == "default"
    assert first["duration_ms"] > 0
    assert not first["many"]
    assert first["origin"].startswith("tests/profiler/test_render.py:")
    assert first["error"] is None
    assert first["fingerprint"] == captured[0].fingerprint
    assert frame.loc[2, "kind"] == "UPDATE"


def test_frame_of_an_empty_capture_has_the_columns(db: None) -> None:
    with profiler.capture() as captured:
        pass
    frame = captured.to_frame()
    assert frame.empty
    assert list(frame.columns) == list(frame_render.COLUMNS)


def test_frame_without_pandas_says_what_to_install(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with profiler.capture() as captured:
        Blog.objects.count()
    with pytest.raises(ImportError, match="pip install pandas"):
        captured.to_frame()
