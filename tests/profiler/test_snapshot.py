"""Query snapshots: written next to the test, stable, compared with a diff, rewritten on request,
one file per vendor where the SQL differs, and a clear error for a broken file."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from django.db import connection, transaction

import profiler
from profiler.snapshot import SnapshotError, SnapshotMismatch, fingerprints, record_paths, written
from tutorial_site.blog.models import Blog, Entry

from .factories import blogs_with_one_entry_each

pytestmark = pytest.mark.profiler_allow  # snapshots of lazy loops, on purpose

VENDOR = connection.vendor


@pytest.fixture(autouse=True)
def _forget_written() -> Iterator[None]:
    """These tests write record files in temporary folders: keep them out of the run's summary."""
    kept = list(written)
    yield
    written[:] = kept


@pytest.fixture
def beside(tmp_path: Path) -> Path:
    """A test module's path in a fresh folder: the record files go next to it."""
    return tmp_path / "test_pages.py"


def record_file(beside: Path) -> Path:
    return record_paths(beside, VENDOR)[0]


def headlines() -> list[str]:
    return [entry.headline for entry in Entry.objects.order_by("id")]


@pytest.mark.django_db
def test_a_new_snapshot_is_written_next_to_the_test(beside: Path) -> None:
    blogs_with_one_entry_each(2)
    with profiler.snapshot("entries", beside=beside) as queries:
        headlines()
        Blog.objects.filter(name="Blog 1").count()
    assert len(queries) == 2
    path = record_file(beside)
    assert path == beside.with_name("test_pages.queries.yml")
    text = path.read_text()
    assert text.startswith("# Query snapshots written by profiler.snapshot()")
    assert "pytest --profiler-update-snapshots" in text
    data = yaml.safe_load(text)
    assert data["vendor"] == VENDOR
    [listing, count] = data["snapshots"]["entries"]["default"]
    assert listing.startswith('SELECT "blog_entry"."id"')
    assert count.endswith('WHERE "blog_blog"."name" = ?')  # parameters left out
    assert "Blog 1" not in text


@pytest.mark.django_db
def test_an_unchanged_block_passes_and_leaves_the_file_alone(beside: Path) -> None:
    def block() -> None:
        headlines()
        with transaction.atomic():  # Django names savepoints by thread and counter
            Blog.objects.count()

    blogs_with_one_entry_each(2)
    with profiler.snapshot("entries", beside=beside):
        block()
    before = record_file(beside).read_text()
    assert 'SAVEPOINT "s?"' in before
    blogs_with_one_entry_each(3)  # other rows, other parameters: the same statements
    with profiler.snapshot("entries", beside=beside):
        block()
    assert record_file(beside).read_text() == before


@pytest.mark.django_db
def test_an_added_query_fails_with_a_readable_diff(beside: Path) -> None:
    blogs_with_one_entry_each(2)
    with profiler.snapshot("entries", beside=beside):
        headlines()
    before = record_file(beside).read_text()
    with pytest.raises(SnapshotMismatch) as caught, profiler.snapshot("entries", beside=beside):
        [(entry.headline, entry.blog.name) for entry in Entry.objects.order_by("id")]
    message = str(caught.value)
    assert message.startswith(
        f"Query snapshot 'entries' changed: 1 statement recorded in {record_file(beside)}, 3 statements now."
    )
    assert "--- recorded\n+++ now\n" in message
    assert '\n default: SELECT "blog_entry"."id"' in message  # unchanged context line
    assert message.count('\n+default: SELECT "blog_blog"."id"') == 2  # one per entry's blog
    assert "run pytest --profiler-update-snapshots to record it" in message
    assert record_file(beside).read_text() == before  # a failure changes nothing


@pytest.mark.django_db
def test_the_update_flag_rewrites_only_that_snapshot(beside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blogs_with_one_entry_each(2)
    with profiler.snapshot("entries", beside=beside):
        headlines()
    with profiler.snapshot("blogs", beside=beside):
        Blog.objects.count()
    monkeypatch.setenv("PROFILER_UPDATE_SNAPSHOTS", "1")
    with profiler.snapshot("entries", beside=beside):
        [(entry.headline, entry.blog.name) for entry in Entry.objects.order_by("id")]
    snapshots = yaml.safe_load(record_file(beside).read_text())["snapshots"]
    assert list(snapshots) == ["blogs", "entries"]  # sorted by name, the other one kept
    assert len(snapshots["entries"]["default"]) == 3
    assert len(snapshots["blogs"]["default"]) == 1
    assert (record_file(beside), "entries", "rewritten") in written


@pytest.mark.django_db(databases=["default", "other"])
def test_databases_are_listed_in_alphabetical_order(beside: Path) -> None:
    with profiler.snapshot("both", beside=beside):
        Blog.objects.using("other").count()
        Blog.objects.count()
    recorded = yaml.safe_load(record_file(beside).read_text())["snapshots"]["both"]
    assert list(recorded) == ["default", "other"]


@pytest.mark.django_db
def test_another_vendors_sql_goes_to_a_file_of_its_own(beside: Path) -> None:
    """The shared file was recorded on another database: equal snapshots are checked against it,
    different ones are written to this vendor's file, and removed from it once equal again."""
    blogs_with_one_entry_each(1)
    shared = record_file(beside)
    with profiler.snapshot("entries", beside=beside):
        headlines()
    with profiler.snapshot("blogs", beside=beside):
        Blog.objects.count()
    data = yaml.safe_load(shared.read_text())
    data["vendor"] = "elsewhere"
    data["snapshots"]["blogs"]["default"] = ['SELECT COUNT(*) FROM "blog_blog" /* elsewhere */']
    shared.write_text(yaml.safe_dump(data))
    own = record_paths(beside, VENDOR)[1]
    assert own.name == f"test_pages.{VENDOR}.queries.yml"

    with profiler.snapshot("entries", beside=beside):  # the same SQL here: the shared file holds
        headlines()
    assert not own.exists()
    differs = rf"recorded on elsewhere and this run uses {VENDOR}: .* to test_pages\.{VENDOR}\.queries"
    with pytest.raises(SnapshotMismatch, match=differs), profiler.snapshot("blogs", beside=beside):
        Blog.objects.count()
    with profiler.snapshot("blogs", beside=beside, update=True):
        Blog.objects.count()
    assert list(yaml.safe_load(own.read_text())["snapshots"]) == ["blogs"]
    assert yaml.safe_load(shared.read_text()) == data  # the other vendor's record is untouched
    with profiler.snapshot("blogs", beside=beside):  # now checked against this vendor's file
        Blog.objects.count()

    data["snapshots"]["blogs"] = yaml.safe_load(own.read_text())["snapshots"]["blogs"]
    shared.write_text(yaml.safe_dump(data))  # the vendors agree again
    with profiler.snapshot("blogs", beside=beside, update=True):
        Blog.objects.count()
    assert not own.exists()
    assert written[-1] == (own, "blogs", "removed")


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("vendor: sqlite\nsnapshots: {entries: [oops\n", "it is not valid YAML (line 3: "),
        ("- just a list\n", "it must have exactly two keys, 'vendor' and 'snapshots'"),
        ("vendor: sqlite\nsnapshots:\n  entries: SELECT 1\n", "snapshot 'entries' must map each database"),
        ("vendor: sqlite\nsnapshots:\n  entries:\n    default: [1, 2]\n", "snapshot 'entries' must map"),
        ("vendor: ''\nsnapshots: {}\n", "'vendor' must name a database vendor"),
    ],
)
@pytest.mark.django_db
def test_a_broken_file_is_a_clear_error_and_is_never_overwritten(
    beside: Path, content: str, why: str
) -> None:
    path = record_file(beside)
    path.write_text(content)
    for update in (False, True):
        with (
            pytest.raises(SnapshotError) as caught,
            profiler.snapshot("entries", beside=beside, update=update),
        ):
            headlines()
        message = str(caught.value)
        assert message.startswith(f"The query snapshot file {path} cannot be read: {why}")
        assert "delete it and run pytest --profiler-update-snapshots" in message
    assert path.read_text() == content


@pytest.mark.django_db
def test_a_failing_block_records_nothing(beside: Path) -> None:
    def failing() -> None:
        headlines()
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError), profiler.snapshot("entries", beside=beside):
        failing()
    assert not record_file(beside).exists()


def test_bad_names_and_places_are_refused(beside: Path) -> None:
    with pytest.raises(SnapshotError, match="needs a name"):
        profiler.snapshot("  ", beside=beside)
    with pytest.raises(SnapshotError, match=r"which is not a file: pass beside="):
        profiler.snapshot("x", beside="/tmp/ipykernel_1234/5678.py")


def test_fingerprints_group_by_alias() -> None:
    class Statement:
        def __init__(self, alias: str, fingerprint: str) -> None:
            self.alias, self.fingerprint = alias, fingerprint

    statements = [Statement("other", "B"), Statement("default", "A"), Statement("other", 'SAVEPOINT "s1_x2"')]
    assert fingerprints(statements) == {"default": ["A"], "other": ["B", 'SAVEPOINT "s?"']}


CHILD_TESTS = """
from tutorial_site.blog.models import Blog


def test_blogs(db, query_snapshot):
    with query_snapshot():
        Blog.objects.count()
    with query_snapshot("twice"):
        Blog.objects.count()
        COUNT_AGAIN
"""


def test_the_fixture_and_the_option_in_a_pytest_run(pytester: pytest.Pytester) -> None:
    from .test_pytest_plugin import CHILD_SETTINGS

    def run(again: str, *args: str) -> pytest.RunResult:
        test = CHILD_TESTS.replace("COUNT_AGAIN", again)
        pytester.makepyfile(test_child=test, child_settings=CHILD_SETTINGS)
        return pytester.runpytest_subprocess("-p", "no:cacheprovider", "--ds=child_settings", "-q", *args)

    first = run("pass")
    first.assert_outcomes(passed=1)
    first.stdout.fnmatch_lines(["*profiler: query snapshots written*", "written: 'test_blogs' in *"])
    recorded = yaml.safe_load((pytester.path / "test_child.queries.yml").read_text())["snapshots"]
    assert list(recorded) == ["test_blogs", "test_blogs: twice"]
    changed = run("Blog.objects.exists()")
    changed.assert_outcomes(failed=1)
    changed.stdout.fnmatch_lines(
        ["*SnapshotMismatch: Query snapshot 'test_blogs: twice' changed*", "*+default: SELECT*"]
    )
    updated = run("Blog.objects.exists()", "--profiler-update-snapshots")
    updated.assert_outcomes(passed=1)
    updated.stdout.fnmatch_lines(["rewritten: 'test_blogs: twice' in *"])
    recorded = yaml.safe_load((pytester.path / "test_child.queries.yml").read_text())["snapshots"]
    assert len(recorded["test_blogs: twice"]["default"]) == 2


pytest_plugins = ["pytester"]
