"""``profiler.compare``: strategies x sizes on the tutorial models, on the real test database."""

from collections.abc import Iterator
from typing import Any

import matplotlib
import pytest
from django.db import transaction
from django.db.models import Prefetch

import profiler
from profiler import Comparison, ProfilerError
from profiler.compare import Growth, classify, normalise
from profiler.render.plot import figure_png
from tutorial_site.blog.models import Blog, Entry
from tutorial_site.seeding import generate, load

# The lazy strategies compared, on purpose.
pytestmark = pytest.mark.profiler_allow("Entry.blog", "Blog.entry_set")

matplotlib.use("Agg")

SIZES = [5, 20, 50]


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The small seed, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load(generate("small", 0), progress=False)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def data(seeded: None, db: None) -> None:
    """Each test runs in its own savepoint inside the seeded module transaction."""


def lazy(n: int) -> list[str]:
    return [e.blog.name for e in Entry.objects.order_by("id")[:n]]


def joined(n: int) -> list[str]:
    return [e.blog.name for e in Entry.objects.select_related("blog").order_by("id")[:n]]


def prefetched(n: int) -> list[str]:
    return [e.blog.name for e in Entry.objects.prefetch_related("blog").order_by("id")[:n]]


STRATEGIES = {"lazy": lazy, "select_related": joined, "prefetch_related": prefetched}


@pytest.fixture
def blog_comparison(data: None) -> Comparison:
    return profiler.compare(STRATEGIES, sizes=SIZES, repeat=2, progress=False)


# --- the frame --------------------------------------------------------------------------------


def test_frame_has_one_row_per_strategy_and_size_with_counts_rows_and_times(
    blog_comparison: Comparison,
) -> None:
    frame = blog_comparison.frame
    assert list(frame.columns) == ["strategy", "size", "queries", "rows", "median_ms", "min_ms"]
    assert list(zip(frame["strategy"], frame["size"], strict=True)) == [
        (name, size) for name in STRATEGIES for size in SIZES
    ]
    assert blog_comparison.queries("lazy") == {5: 6, 20: 21, 50: 51}
    assert blog_comparison.queries("select_related") == {5: 1, 20: 1, 50: 1}
    assert blog_comparison.queries("prefetch_related") == {5: 2, 20: 2, 50: 2}
    assert list(frame["rows"]) == SIZES * 3
    assert (frame["min_ms"] > 0).all()
    assert (frame["min_ms"] <= frame["median_ms"]).all()
    assert blog_comparison.mismatches == []
    assert blog_comparison.failures == []


def test_statements_are_captured_on_the_warm_up_run_and_kept(blog_comparison: Comparison) -> None:
    captured = blog_comparison.captures[("select_related", 20)]
    assert len(captured) == 1
    assert "JOIN" in captured[0].sql.upper()
    assert blog_comparison.results[("lazy", 5)] == lazy(5)


def test_a_strategy_may_return_a_queryset_which_is_listed(data: None) -> None:
    comparison = profiler.compare(
        {
            "queryset": lambda n: Blog.objects.order_by("id")[:n],
            "list": lambda n: list(Blog.objects.order_by("id")[:n]),
        },
        sizes=[3, 7],
        repeat=1,
        progress=False,
    )
    assert comparison.queries("queryset") == {3: 1, 7: 1}
    assert list(comparison.frame["rows"]) == [3, 7, 3, 7]
    assert comparison.mismatches == []
    assert comparison.results[("queryset", 3)] == [("blog.Blog", i) for i in (1, 2, 3)]


def test_unknown_strategy_name_is_a_clear_key_error(blog_comparison: Comparison) -> None:
    with pytest.raises(KeyError, match=r"No strategy 'eager'.*'lazy', 'select_related'"):
        blog_comparison.queries("eager")


# --- growth -------------------------------------------------------------------------------------


def test_growth_flags_the_lazy_loop_as_linear_n_plus_one_and_the_others_constant(
    blog_comparison: Comparison,
) -> None:
    growth = blog_comparison.growth()
    assert set(growth) == set(STRATEGIES)
    assert growth["lazy"].kind == "linear"
    assert growth["lazy"].n_plus_one
    assert growth["lazy"].slope == pytest.approx(1.0)
    assert growth["lazy"].intercept == pytest.approx(1.0)
    assert "N+1" in str(growth["lazy"])
    for name in ("select_related", "prefetch_related"):
        assert growth[name].kind == "constant"
        assert not growth[name].n_plus_one
        assert "N+1" not in str(growth[name])
    assert str(growth["select_related"]) == "select_related: constant (1 query at every size)"


def test_n_plus_one_findings_come_from_the_capture_of_the_largest_size(
    blog_comparison: Comparison,
) -> None:
    largest = blog_comparison.captures[("lazy", 50)]
    try:
        expected = [str(f) for f in largest.n_plus_one()]
    except ModuleNotFoundError:  # profiler.nplusone not available yet: no findings
        expected = []
    assert [str(f) for f in blog_comparison.growth()["lazy"].findings] == expected
    for finding in expected:
        assert finding in str(blog_comparison.growth()["lazy"])


@pytest.mark.parametrize(
    ("sizes", "counts", "kind", "n_plus_one"),
    [
        ([10, 100, 1000], [3, 3, 3], "constant", False),
        ([10, 100, 1000], [11, 101, 1001], "linear", True),
        ([10, 100, 1000], [21, 201, 2001], "linear", True),
        ([100, 1000, 2000], [2, 11, 21], "linear", False),  # one query per 100-row chunk
        ([10, 100, 1000, 2000], [5, 1, 9, 2], "irregular", False),
        ([100], [101], "unknown", False),
    ],
)
def test_classify(sizes: list[int], counts: list[int], kind: str, n_plus_one: bool) -> None:
    growth = Growth("s", *classify(sizes, counts))
    assert (growth.kind, growth.n_plus_one) == (kind, n_plus_one)
    assert growth.counts == tuple(counts)


# --- mismatches ---------------------------------------------------------------------------------


def entries_per_blog(queryset: Any) -> dict[str, list[str]]:
    return {b.name: sorted(e.headline for e in b.entry_set.all()) for b in queryset}


def test_a_filtered_prefetch_is_reported_as_a_mismatch_not_raised(data: None) -> None:
    good = Prefetch("entry_set", queryset=Entry.objects.filter(rating__gte=4))
    comparison = profiler.compare(
        {
            "lazy": lambda n: entries_per_blog(Blog.objects.order_by("id")[:n]),
            "prefetch": lambda n: entries_per_blog(
                Blog.objects.prefetch_related("entry_set").order_by("id")[:n]
            ),
            "filtered Prefetch": lambda n: entries_per_blog(
                Blog.objects.prefetch_related(good).order_by("id")[:n]
            ),
        },
        sizes=[2, 4],
        repeat=1,
        progress=False,
    )
    assert [(m.size, m.strategy, m.reference) for m in comparison.mismatches] == [
        (2, "filtered Prefetch", "lazy"),
        (4, "filtered Prefetch", "lazy"),
    ]
    assert "at key 'Beatles Blog'" in comparison.mismatches[0].detail
    assert "size 2: 'filtered Prefetch' returned a different result than 'lazy'" in str(
        comparison.mismatches[0]
    )
    assert comparison.queries("filtered Prefetch") == {2: 2, 4: 2}
    page = comparison._repr_html_()
    assert "Results differ between strategies (2)" in page
    assert page.index("Results differ") < page.index("<table")
    assert "MISMATCHES" in repr(comparison)
    assert str(comparison).startswith("RESULTS DIFFER (2):")


def test_same_rows_in_another_order_is_a_mismatch_that_says_so(data: None) -> None:
    comparison = profiler.compare(
        {
            "by id": lambda n: Blog.objects.order_by("id")[:n],
            "reversed": lambda n: reversed(list(Blog.objects.order_by("id")[:n])),
        },
        sizes=[3],
        repeat=1,
        progress=False,
    )
    assert [m.detail for m in comparison.mismatches] == ["the same items in a different order"]


def test_normalise_makes_querysets_instances_and_containers_comparable(data: None) -> None:
    blog = Blog.objects.get(id=1)
    assert normalise(Blog.objects.filter(id=1)) == [("blog.Blog", 1)]
    assert normalise({blog: {blog}}) == {("blog.Blog", 1): frozenset({("blog.Blog", 1)})}
    assert normalise(x for x in [blog, "a"]) == [("blog.Blog", 1), "a"]
    assert normalise(Blog.objects.filter(id=1).values("id")) == [{"id": 1}]


# --- failures -----------------------------------------------------------------------------------


def test_a_strategy_that_raises_is_reported_with_its_size_and_the_rest_is_kept(data: None) -> None:
    def fragile(n: int) -> list[str]:
        if n > 10:
            raise ValueError(f"cannot do {n}")
        return joined(n)

    comparison = profiler.compare({"lazy": lazy, "fragile": fragile}, sizes=SIZES, repeat=1, progress=False)
    assert [(f.strategy, f.size) for f in comparison.failures] == [("fragile", 20), ("fragile", 50)]
    assert str(comparison.failures[0]) == "'fragile' failed at size 20: ValueError: cannot do 20"
    assert "raise ValueError" in comparison.failures[0].traceback
    assert comparison.queries("lazy") == {5: 6, 20: 21, 50: 51}
    assert comparison.queries("fragile") == {5: 1}
    assert "Strategies that raised (2)" in comparison._repr_html_()
    assert comparison.growth()["fragile"].kind == "unknown"


def test_a_failing_statement_does_not_break_the_strategies_after_it(data: None) -> None:
    """On PostgreSQL an error aborts the open transaction; compare runs each in a savepoint."""
    comparison = profiler.compare(
        {
            "bad sql": lambda n: list(Blog.objects.raw("SELECT no_such_column FROM blog_blog")),
            "select_related": joined,
        },
        sizes=[5, 20],
        repeat=1,
        progress=False,
    )
    assert [(f.strategy, f.size) for f in comparison.failures] == [("bad sql", 5), ("bad sql", 20)]
    assert comparison.queries("select_related") == {5: 1, 20: 1}


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"strategies": {}}, "strategies is empty"),
        ({"strategies": [lazy]}, "must be a dict of label -> callable"),
        ({"strategies": {"lazy": Entry.objects.all()}}, "'lazy' is a QuerySet, not a callable"),
        ({"strategies": {"": lazy}}, "labels must be non-empty strings"),
        ({"sizes": []}, "sizes is empty"),
        ({"sizes": [10, 0]}, r"positive integers .*; not 0\."),
        ({"sizes": [10, -5, 2.5]}, r"not -5, 2\.5\."),
        ({"sizes": [True]}, "not True"),
        ({"sizes": "100"}, "sizes must be a list of positive integers"),
        ({"sizes": 100}, "sizes must be a list of positive integers"),
        ({"sizes": [10, 10]}, "duplicates"),
        ({"repeat": 0}, "repeat must be an integer >= 1"),
        ({"repeat": 2.0}, "repeat must be an integer >= 1"),
        ({"using": "nope"}, "Unknown database alias 'nope'"),
    ],
)
def test_bad_input_is_a_clear_error(data: None, kwargs: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {"strategies": {"lazy": lazy}, "sizes": [5], "progress": False}
    arguments.update(kwargs)
    with pytest.raises(ProfilerError, match=message):
        profiler.compare(**arguments)


# --- progress -----------------------------------------------------------------------------------


def test_progress_bar_shows_unless_silenced(data: None, capsys: pytest.CaptureFixture[str]) -> None:
    profiler.compare({"lazy": lazy}, sizes=[2, 3], repeat=1, progress=False)
    assert capsys.readouterr().err == ""
    profiler.compare({"lazy": lazy}, sizes=[2, 3], repeat=1, progress=True)
    assert "lazy n=3" in capsys.readouterr().err


# --- plot and HTML ------------------------------------------------------------------------------


def test_plot_returns_a_figure_with_two_labelled_log_axes_and_a_legend(
    blog_comparison: Comparison,
) -> None:
    from matplotlib.figure import Figure

    figure = blog_comparison.plot()
    assert isinstance(figure, Figure)
    queries_ax, time_ax = figure.axes
    for ax in (queries_ax, time_ax):
        assert ax.get_xscale() == "log"
        assert ax.get_yscale() == "log"
        assert "size" in ax.get_xlabel()
        assert [t.get_text() for t in ax.get_legend().get_texts()] == list(STRATEGIES)
    assert "statements" in queries_ax.get_ylabel()
    assert "time" in time_ax.get_ylabel()
    lines = {line.get_label(): line for line in queries_ax.get_lines()}
    assert list(lines["lazy"].get_ydata()) == [6, 21, 51]
    assert list(lines["select_related"].get_ydata()) == [1, 1, 1]
    assert len({line.get_color() for line in lines.values()}) == 3
    assert figure_png(figure).startswith(b"\x89PNG")


def test_html_repr_holds_the_table_the_growth_and_an_inline_png(
    blog_comparison: Comparison,
) -> None:
    page = blog_comparison._repr_html_()
    assert "<table" in page
    assert "<td>lazy</td>" in page
    assert "lazy: linear" in page
    assert page.count('src="data:image/png;base64,') == 1
    assert "Results differ" not in page
    assert "lazy: linear, ≈1.00 queries per row" in str(blog_comparison)
