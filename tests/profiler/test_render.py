"""How a capture looks: str(), the HTML repr for JupyterLab, the pandas frame."""

import re
import sys
from html.parser import HTMLParser

import pytest
from django.db import DatabaseError, connection

import profiler
from profiler.render import frame as frame_render
from profiler.render import highlight
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


VOID = {"col", "br", "img", "wbr"}
# The CSS properties JupyterLab's sanitizer keeps in an untrusted notebook's HTML (the ones these
# views use), and what it accepts as values: plain lengths and colours, never var() or calc().
SANITIZER_KEEPS = {
    "background-color": r"transparent|rgba\(\d+,\d+,\d+,0\.\d+\)",
    "border-collapse": r"collapse",
    "border-radius": r"\d+px",
    "border-top": r"1px solid #[0-9a-f]+",
    "border-bottom": r"1px solid #[0-9a-f]+",
    "border-left": r"3px solid rgb\(\d+,\d+,\d+\)",
    "cursor": r"pointer",
    "display": r"block",
    "font-size": r"\d+px",
    "font-style": r"italic",
    "font-weight": r"bold",
    "line-height": r"[\d.]+",
    "margin": r"0|\d+px 0",
    "max-width": r"100%",
    "min-width": r"[\d.]+em",
    "opacity": r"0\.\d+",
    "overflow": r"hidden",
    "overflow-wrap": r"normal|break-word",
    "overflow-x": r"auto",
    "padding": r"0|\d+px \d+px",
    "padding-left": r"[\d.]+em",
    "table-layout": r"fixed",
    "text-align": r"left|right",
    "text-indent": r"-[\d.]+em",
    "vertical-align": r"top",
    "white-space": r"pre-wrap|nowrap",
    "width": r"\d+(\.\d+)?(em|%)",
    "word-break": r"normal",
}
THEME_COLOUR = re.compile(r"var\(--jp-[a-z0-9-]+,#[0-9a-f]{6}\)")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.open: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.styles.extend(value for name, value in attrs if name == "style" and value)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.styles.extend(value for name, value in attrs if name == "style" and value)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    assert parser.open == []  # well nested and closed
    return parser


def _declarations(html: str) -> list[tuple[str, str]]:
    pairs = []
    for css in _parse(html).styles:
        for declaration in filter(None, css.split(";")):
            name, _, value = declaration.partition(":")
            pairs.append((name.strip(), value.strip()))
    return pairs


def assert_readable_everywhere(html: str) -> None:
    """Layout in forms JupyterLab's sanitizer keeps; text colours only from the theme (so they drop to
    the theme's own colour when sanitized); no light background of its own."""
    for name, value in _declarations(html):
        if name == "color":
            assert THEME_COLOUR.fullmatch(value), f"hard-coded text colour {value!r}"
            continue
        assert name in SANITIZER_KEEPS, f"{name}: the sanitizer drops this property"
        assert re.fullmatch(SANITIZER_KEEPS[name], value), f"{name}:{value} is dropped or not theme-safe"


def _statement_rows(html: str) -> list[str]:
    return re.findall(r"<tr><td.*?</tr>", html, flags=re.S)


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


def test_html_summary_finding_and_statement_table(blogs: list[Blog]) -> None:
    with profiler.capture() as captured:
        [e.blog.name for e in Entry.objects.all()]
    html = captured._repr_html_()
    tags = _parse(html).tags
    assert "script" not in tags
    assert "style" not in tags  # inline styles only: JupyterLab drops <style> from untrusted output
    assert len(_statement_rows(html)) == len(captured)
    assert "4 queries in" in html
    assert "1 N+1 finding" in html
    finding = re.search(r"<li>(.*?)</li>", html).group(1)
    assert "<strong>N+1</strong>" in finding
    assert ">Entry.blog</code> loaded 3 times at <code" in finding
    assert ">Entry.objects.select_related('blog')</code>" in finding
    assert "test_render.py:" in html  # call sites


def test_html_table_sets_its_own_column_widths(blogs: list[Blog]) -> None:
    """JupyterLab's stylesheet gives tables ``table-layout: fixed``: without widths of its own every
    column would get the same share. The short columns are sized, the SQL takes the rest."""
    with profiler.capture() as captured:
        Blog.objects.count()
    html = captured._repr_html_()
    assert "table-layout:fixed;width:100%" in html
    cols = re.search(r"<colgroup>(.*?)</colgroup>", html).group(1)
    widths = re.findall(r'<col(?: style="width:([^"]+)")?>', cols)
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", html)
    assert headers == ["#", "kind", "time", "SQL", "call site"]
    sized = dict(zip(headers, widths, strict=True))
    assert sized["SQL"] == ""  # the rest of the width
    assert all(sized[name].endswith("em") for name in ("#", "kind", "time"))
    assert sized["call site"] == "22%"


def test_html_uses_only_styles_that_survive_the_sanitizer_and_a_dark_theme(db: None) -> None:
    Blog.objects.create(name="Blog 0", tagline="")
    with profiler.capture() as captured, connection.cursor() as cursor:
        [e.blog.name for e in Entry.objects.all()]
        list(Blog.objects.filter(name__startswith="Blog").order_by("-id")[:2])
        cursor.execute("SELECT 1 -- a comment")
        with pytest.raises(DatabaseError):
            cursor.execute("SELECT no_such_column FROM blog_blog")
    assert_readable_everywhere(captured._repr_html_())


def test_html_highlights_sql_with_theme_colours_and_without_pygments(
    blogs: list[Blog], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pygments", None)
    highlight.sql_lines.cache_clear()
    with profiler.capture() as captured:
        Blog.objects.filter(name="Blog 1", id__gte=1).exists()
    html = captured._repr_html_()
    keyword = 'style="color:var(--jp-mirror-editor-keyword-color,#388e3c);font-weight:bold">'
    assert f"{keyword}SELECT</span>" in html
    assert f"{keyword}FROM</span>" in html
    assert 'color:var(--jp-mirror-editor-def-color,#2f7fd0)">%s</span>' in html
    assert 'FROM</span> "blog_blog"' in html  # identifiers keep the theme's text colour


def test_html_sql_is_one_clause_per_line_wrapping_past_its_keyword(blogs: list[Blog]) -> None:
    """The browser wraps each clause at the width it has; a SELECT list continues under its first
    column (7 characters of 0.6em), an AND clause past its own indent and keyword."""
    with profiler.capture() as captured:
        list(Entry.objects.filter(rating__gte=1, headline__startswith="E").order_by("headline"))
    lines = highlight.sql_lines(captured[0].sql)
    text = [re.sub(r"<[^>]+>", "", line) for line in lines]
    assert text[0].startswith('SELECT "blog_entry"."id", "blog_entry"."blog_id", "blog_entry"."headline",')
    assert text[0].rstrip().endswith('"blog_entry"."rating"')  # the whole list: the browser wraps it
    assert [line.split()[0] for line in text[1:]] == ["FROM", "WHERE", "AND", "ORDER"]
    assert lines[0].startswith('<span style="display:block;padding-left:4.2em;text-indent:-4.2em">')
    and_indent = len(text[3]) - len(text[3].lstrip())
    assert f"padding-left:{round((and_indent + 4) * 0.6, 2)}em" in lines[3]
    assert all(line.endswith("\n</span>") for line in lines)  # lines stay apart without styles


def test_html_folds_long_statements(db: None) -> None:
    conditions = " AND ".join(f"{n} = {n}" for n in range(20))
    with profiler.capture() as captured, connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 WHERE {conditions}")
        cursor.execute("SELECT 1 WHERE 1 = 1 AND 2 = 2")
    html = captured._repr_html_()
    first, second = _statement_rows(html)
    assert (
        f'<summary style="cursor:pointer">{20 - html_render.SQL_LINES_OPEN + 1} more lines</summary>' in first
    )
    assert "more line" not in second


def test_html_repeated_call_site_says_so_once(blogs: list[Blog]) -> None:
    with profiler.capture() as captured:
        for entry in Entry.objects.all():
            entry.blog.name  # noqa: B018
    first, second, *rest = _statement_rows(captured._repr_html_())
    assert "for entry in Entry.<wbr>objects.<wbr>all<wbr>():" in first  # breaks between names
    assert "entry.<wbr>blog.<wbr>name" in second  # another line: shown in full
    assert "(same as above)" not in first + second
    assert len(rest) == 2
    assert all("(same as above)" in row for row in rest)
    assert all("entry.<wbr>blog" not in row for row in rest)


@pytest.mark.django_db(databases=["default", "other"])
def test_html_alias_column_only_when_several_aliases() -> None:
    with profiler.capture() as one:
        Blog.objects.count()
    with profiler.capture() as two:
        Blog.objects.count()
        Blog.objects.using("other").count()
    assert ">kind</th>" in one._repr_html_()
    assert ">alias</th>" not in one._repr_html_()
    html = two._repr_html_()
    assert re.findall(r"<th[^>]*>([^<]*)</th>", html) == ["#", "alias", "kind", "time", "SQL", "call site"]
    assert ">other</td>" in html


def test_html_marks_executemany_and_errors(db: None) -> None:
    with profiler.capture() as captured, connection.cursor() as cursor:
        cursor.executemany("INSERT INTO blog_blog (name, tagline) VALUES (%s, '')", [("a",), ("b",)])
        with pytest.raises(DatabaseError):
            cursor.execute("SELECT no_such_column FROM blog_blog")
    html = captured._repr_html_()
    assert 'INSERT<br><span style="opacity:0.7">executemany</span>' in html
    assert re.search(r'font-weight:bold">raised \w+: [^<]*no_such_column', html)


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


def test_long_captures_fold_and_stop(db: None) -> None:
    with profiler.capture() as captured, connection.cursor() as cursor:
        for i in range(html_render.ROWS_MAX + 10):
            cursor.execute("SELECT %s", [i])
    html = captured._repr_html_()
    _parse(html)
    assert f"{html_render.ROWS_MAX - html_render.ROWS_OPEN} more statements</summary>" in html
    assert "10 more statements not shown" in html
    assert len(_statement_rows(html)) == html_render.ROWS_MAX


def test_comparison_html_reads_in_any_theme(db: None) -> None:
    blogs_with_one_entry_each(3)
    comparison = profiler.compare(
        {
            "all": lambda n: list(Blog.objects.order_by("id")[:n]),
            "fewer": lambda n: list(Blog.objects.order_by("id")[: n - 1]),
            "broken": lambda n: 1 / 0,
        },
        sizes=[2, 3],
        repeat=1,
        progress=False,
    )
    html = comparison._repr_html_()
    assert "Results differ between strategies" in html
    assert "Strategies that raised" in html
    assert "background-color:rgba(229,57,53,0.1)" in html  # tinted, never a light fill
    styled = re.sub(r'<table border="1" class="dataframe">.*?</table>', "", html, flags=re.S)
    assert_readable_everywhere(re.sub(r'src="data:image/png;base64,[^"]+"', "", styled))


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
