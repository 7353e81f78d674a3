"""%load_ext profiler in a real IPython shell: %%queries and %queries."""

import builtins
from collections.abc import Iterator

import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from profiler.ipython import QueriesReport, parse_line
from tests.profiler.factories import blogs_with_one_entry_each
from tutorial_site.blog.models import Blog, Entry

# The N+1 the magics must show, built on purpose.
pytestmark = pytest.mark.profiler_allow("Entry.blog")


@pytest.fixture(scope="module")
def ipython() -> Iterator[InteractiveShell]:
    """A real shell (no history file), removed afterwards: later tests are not inside IPython."""
    had_shell = InteractiveShell.initialized()
    builtin_names = set(vars(builtins))
    config = Config()
    config.HistoryManager.enabled = False
    ip = InteractiveShell.instance(config=config)
    ip.run_line_magic("load_ext", "profiler")
    yield ip
    if not had_shell:
        InteractiveShell.clear_instance()
        for name in set(vars(builtins)) - builtin_names:  # __IPYTHON__, display
            delattr(builtins, name)


@pytest.fixture
def shell(ipython: InteractiveShell, db: None) -> Iterator[InteractiveShell]:
    ip = ipython
    ip.user_ns.update(Blog=Blog, Entry=Entry)
    blogs_with_one_entry_each(3)
    yield ip
    for name in ("Blog", "Entry", "q", "names"):
        ip.user_ns.pop(name, None)


def _cell(ip: InteractiveShell, line: str, cell: str, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    ip.run_cell_magic("queries", line, cell)
    return capsys.readouterr().out


def test_cell_magic_prints_the_cell_output_then_the_capture(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _cell(shell, "", "print('hello from the cell')\nBlog.objects.count()", capsys)
    hello, summary = out.index("hello from the cell"), out.index("1 query in")
    assert hello < summary
    assert out[hello:summary].rstrip().endswith("3")  # the cell's value, before the capture
    assert 'FROM "blog_blog"' in out
    assert "at <cell>:2 in <module>" in out  # the call site is the cell's second line


def test_cell_magic_options(shell: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    code = "names = [e.blog.name for e in Entry.objects.all()]"
    out = _cell(shell, "--no-sql --n-plus-one --explain -o q", code, capsys)
    assert out.splitlines()[0].startswith("4 queries in")
    assert "1 N+1 finding" in out
    assert "select_related('blog')" in out
    assert 'FROM "blog_entry"' not in out.split("EXPLAIN")[0]  # --no-sql
    assert "EXPLAIN [1]:" in out
    assert "EXPLAIN [2]:" in out  # the loop's statements share one fingerprint: one plan
    assert "EXPLAIN [3]:" not in out
    assert len(shell.user_ns["q"]) == 4
    assert shell.user_ns["names"] == ["Blog 0", "Blog 1", "Blog 2"]


def test_cell_magic_limit_and_using(shell: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    out = _cell(shell, "--limit 1 --using default", "[e.blog for e in Entry.objects.all()]", capsys)
    assert "[1] default SELECT" in out
    assert "[2]" not in out
    assert "3 more statements" in out


def test_line_magic_runs_one_statement(shell: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    shell.run_line_magic("queries", "--no-sql list(Blog.objects.filter(name='Blog 1'))")
    out = capsys.readouterr().out
    assert "<Blog: Blog 1>" in out
    assert "1 query in" in out
    assert out.index("<Blog: Blog 1>") < out.index("1 query in")


def test_an_error_in_the_cell_is_shown_and_the_capture_still_is(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _cell(shell, "", "Blog.objects.count()\nraise RuntimeError('cell failed')", capsys)
    assert "RuntimeError" in out
    assert "cell failed" in out
    assert "1 query in" in out


def test_bad_options_are_usage_errors(shell: InteractiveShell) -> None:
    with pytest.raises(UsageError, match="unknown option '--nope'"):
        shell.run_cell_magic("queries", "--nope", "pass")
    with pytest.raises(UsageError, match="needs a statement"):
        shell.run_line_magic("queries", "--no-sql")
    with pytest.raises(UsageError, match="--limit needs a whole number"):
        parse_line("--limit x")


def test_parse_line_keeps_the_code_verbatim() -> None:
    options, code = parse_line("--no-sql --using=default,other -o out  f('a  b', -1)")
    assert (options.sql, options.using, options.output) == (False, ["default", "other"], "out")
    assert code == "f('a  b', -1)"


def test_report_renders_html_for_jupyterlab(shell: InteractiveShell) -> None:
    import profiler

    with profiler.capture() as captured:
        Blog.objects.count()
    options, _ = parse_line("--explain")
    html = QueriesReport(captured, options)._repr_html_()
    assert "1 query in" in html
    assert "EXPLAIN [1]" in html
