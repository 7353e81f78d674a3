"""Query records: call site and stack, fingerprint, kind, tables; the capture's groupings."""

import inspect
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from itertools import takewhile
from pathlib import Path
from types import CodeType
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import cached_property

import profiler
from profiler import records
from profiler.fingerprint import analyse, fingerprint, format_sql
from profiler.records import _line
from tutorial_site.blog.models import Author, Blog, Entry

from .factories import blogs_with_one_entry_each

# Call sites of lazy loads built on purpose: the suite-wide switch leaves these tests alone.
pytestmark = pytest.mark.profiler_allow

HERE = Path(__file__).resolve()


def _count_blogs_in_a_helper() -> int:
    return Blog.objects.count()  # LINE: helper


def _line_of(marker: str) -> int:
    for number, line in enumerate(HERE.read_text().splitlines(), 1):
        if line.rstrip().endswith(f"# LINE: {marker}"):
            return number
    raise LookupError(marker)


def _capture_two_lines() -> profiler.Capture:
    with profiler.capture() as captured:
        _count_blogs_in_a_helper()  # LINE: block first
        Blog.objects.exists()  # LINE: block second
    return captured


def _call_from_a_frame_above() -> profiler.Capture:
    return _capture_two_lines()  # LINE: above


def test_stack_is_whole_across_the_frames_above_the_block(db: None) -> None:
    """The frames above ``with capture()`` are read once; each statement's stack is still whole."""
    first, second = _call_from_a_frame_above()  # LINE: test above
    expected_above = [
        ("_call_from_a_frame_above", _line_of("above")),
        ("test_stack_is_whole_across_the_frames_above_the_block", _line_of("test above")),
    ]
    assert [(f.function, f.line) for f in first.stack[:4]] == [
        ("_count_blogs_in_a_helper", _line_of("helper")),
        ("_capture_two_lines", _line_of("block first")),
        *expected_above,
    ]
    assert [(f.function, f.line) for f in second.stack[:3]] == [
        ("_capture_two_lines", _line_of("block second")),
        *expected_above,
    ]
    assert len(first.stack) == len(second.stack) + 1


@contextmanager
def _capturing() -> Iterator[profiler.Capture]:
    with profiler.capture() as captured:
        yield captured


def _capture_through(opener: Callable[[], AbstractContextManager[profiler.Capture]]) -> profiler.Capture:
    with opener() as captured:
        _count_blogs_in_a_helper()  # LINE: through
    return captured


def _opened_by_exit_stack() -> AbstractContextManager[profiler.Capture]:
    stack = ExitStack()
    stack.enter_context(profiler.capture())  # entered from a frame that returns: no boundary
    return stack


def test_a_capture_opened_in_a_contextmanager_gives_whole_stacks(db: None) -> None:
    """The ``with`` frame of a ``@contextmanager`` helper stands in for the helper's generator."""
    (helper,) = _capture_through(_capturing)  # LINE: helper cm
    (plain,) = _capture_through(profiler.capture)  # LINE: plain cm
    name = "test_a_capture_opened_in_a_contextmanager_gives_whole_stacks"
    common = [("_count_blogs_in_a_helper", _line_of("helper")), ("_capture_through", _line_of("through"))]
    helper_frames = [(f.function, f.line) for f in helper.stack]
    plain_frames = [(f.function, f.line) for f in plain.stack]
    assert helper_frames[:3] == [*common, (name, _line_of("helper cm"))]
    assert plain_frames[:3] == [*common, (name, _line_of("plain cm"))]
    assert [f.function for f in helper.stack] == [f.function for f in plain.stack]


def test_a_capture_entered_by_a_frame_that_has_returned_still_gives_whole_stacks(db: None) -> None:
    with _opened_by_exit_stack():
        pass
    stack = ExitStack()
    with stack:
        captured = stack.enter_context(profiler.capture())
        _count_blogs_in_a_helper()  # LINE: exit stack
    assert [(f.function, f.line) for f in captured[0].stack[:2]] == [
        ("_count_blogs_in_a_helper", _line_of("helper")),
        (
            "test_a_capture_entered_by_a_frame_that_has_returned_still_gives_whole_stacks",
            _line_of("exit stack"),
        ),
    ]


def _entries_in_new_blogs(n: int) -> list[Entry]:
    """``n`` new blogs with one entry each; the entries, their blogs not loaded."""
    blogs_with_one_entry_each(n)
    return list(Entry.objects.order_by("pk"))


def _read_blog(entry: Entry) -> str:
    return entry.blog.name  # LINE: read blog


def _read_blog_one_level_down(entry: Entry) -> str:
    return _read_blog(entry)  # LINE: one level down


def test_a_lazy_load_read_from_different_callers_keeps_each_callers_stack(db: None) -> None:
    """A repeated lazy load reuses where its first user frame was found; every statement still
    gets its own callers, whichever function read the relation."""
    entries = _entries_in_new_blogs(6)
    with profiler.capture() as captured:
        for i, entry in enumerate(entries):
            if i % 2:
                _read_blog(entry)  # LINE: direct read
            else:
                _read_blog_one_level_down(entry)  # LINE: nested read
    test = "test_a_lazy_load_read_from_different_callers_keeps_each_callers_stack"
    direct = [("_read_blog", _line_of("read blog")), (test, _line_of("direct read"))]
    nested = [
        ("_read_blog", _line_of("read blog")),
        ("_read_blog_one_level_down", _line_of("one level down")),
        (test, _line_of("nested read")),
    ]
    assert len(captured) == len(entries)
    for i, query in enumerate(captured):
        expected = direct if i % 2 else nested
        assert [(f.function, f.line) for f in query.stack[: len(expected)]] == expected


def test_user_code_that_joins_a_lazy_loads_django_frames_becomes_the_origin(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the frames under a lazy load change, they are read again."""
    entries = _entries_in_new_blogs(4)
    with profiler.capture() as before:
        [_read_blog(entry) for entry in entries[:2]]
    original = QuerySet.get

    def get(self: QuerySet[Any], *args: Any, **kwargs: Any) -> Any:
        return original(self, *args, **kwargs)  # LINE: user get

    monkeypatch.setattr(QuerySet, "get", get)
    with profiler.capture() as after:
        [_read_blog(entry) for entry in entries[2:]]
    assert [q.origin.function for q in before if q.origin] == ["_read_blog", "_read_blog"]
    assert [(q.origin.function, q.origin.line) for q in after if q.origin] == [
        ("get", _line_of("user get")),
        ("get", _line_of("user get")),
    ]
    assert [f.function for f in after[1].stack[:2]] == ["get", "_read_blog"]


def test_a_repeated_lazy_load_reads_the_frames_under_it_once(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the first statement of a lazy load, the next ones check a few frames at the depth
    learned then (Python 3.12+; 3.11 reads every frame by file name)."""
    entries = _entries_in_new_blogs(5)
    walks: list[object] = []

    def counted_takewhile(*args: Any) -> Any:
        walks.append(args)
        return takewhile(*args)

    monkeypatch.setattr(records, "_anchored", {})
    monkeypatch.setattr(records, "takewhile", counted_takewhile)
    with profiler.capture() as captured:
        [_read_blog(entry) for entry in entries]
    assert len(captured) == 5
    assert {(q.origin.function, q.origin.line) for q in captured if q.origin} == {
        ("_read_blog", _line_of("read blog"))
    }
    full_reads = 1 if records._module_at is not None else 0
    assert len(walks) == full_reads
    assert len(records._anchored) == full_reads


def test_a_learned_depth_past_the_end_of_a_shorter_stack_is_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An anchor learned on a deep stack, met again on a shallow one, gets a full read."""
    anchor = object()
    monkeypatch.setitem(records._library_modules, None, False)  # as after a walk off the end
    monkeypatch.setitem(records._anchored, id(anchor), (anchor, 10_000, None, None))
    raw = records.caller_user_frames(0, False, anchor=anchor)
    assert raw[0] is sys._getframe().f_code


class _Report:
    @cached_property
    def blogs(self) -> int:
        return Blog.objects.count()  # LINE: cached property


def test_user_code_called_back_by_django_is_the_origin(db: None) -> None:
    """Library frames between user frames are passed over, user frames under them are kept."""
    with profiler.capture() as captured:
        _ = _Report().blogs  # LINE: report

    assert [(f.function, f.line) for f in captured[0].stack[:2]] == [
        ("blogs", _line_of("cached property")),
        ("test_user_code_called_back_by_django_is_the_origin", _line_of("report")),
    ]


def _caller_position() -> tuple[CodeType, int, int]:
    frame = sys._getframe(1)
    return frame.f_code, frame.f_lasti, frame.f_lineno


def test_lines_are_read_from_the_offset_as_f_lineno_reads_them() -> None:
    """Stacks keep each frame's instruction offset; its line is looked up only when read."""
    positions = [
        _caller_position(),
        (
            _caller_position()  # a call spread over lines
        ),
        next(_caller_position() for _ in range(1)),  # from a generator expression
    ]
    for code, lasti, line in positions:
        assert _line(code, lasti) == line
    assert len({line for *_, line in positions}) == 3


def test_origin_is_the_first_user_frame_with_its_code_line(db: None) -> None:
    with profiler.capture() as captured:
        Blog.objects.exists()  # LINE: direct
    (query,) = captured
    origin = query.origin
    assert origin is not None
    assert Path(origin.file).resolve() == HERE
    assert origin.line == _line_of("direct")
    assert origin.function == "test_origin_is_the_first_user_frame_with_its_code_line"
    assert origin.code == "Blog.objects.exists()  # LINE: direct"
    assert str(origin) == (
        f"tests/profiler/test_records.py:{origin.line} in "
        "test_origin_is_the_first_user_frame_with_its_code_line"
    )


def test_stack_holds_user_frames_only_and_stacks_false_keeps_the_origin(db: None) -> None:
    with profiler.capture() as with_stacks:
        _count_blogs_in_a_helper()  # LINE: caller
    with profiler.capture(stacks=False) as without:
        _count_blogs_in_a_helper()
    stack = with_stacks[0].stack
    assert [f.function for f in stack[:2]] == [
        "_count_blogs_in_a_helper",
        "test_stack_holds_user_frames_only_and_stacks_false_keeps_the_origin",
    ]
    assert [f.line for f in stack[:2]] == [_line_of("helper"), _line_of("caller")]
    assert all("site-packages" not in f.file and "/django/" not in f.file for f in stack)
    package = Path(profiler.__file__).resolve().parent
    assert all(package not in Path(f.file).resolve().parents for f in stack)
    assert [f.function for f in without[0].stack] == ["_count_blogs_in_a_helper"]
    assert without[0].origin == stack[0]


def test_records_carry_sql_params_alias_duration_and_many(db: None) -> None:
    with profiler.capture() as captured, connection.cursor() as cursor:
        Blog.objects.filter(name="Beatles Blog").exists()
        cursor.executemany(
            f"INSERT INTO {Author._meta.db_table} (name, email) VALUES (%s, %s)",
            iter([("A", "a@example.com"), ("B", "b@example.com")]),  # a one-shot iterator
        )
    select, insert = captured
    assert "%s" in select.sql
    assert "Beatles Blog" in list(select.params)
    assert select.alias == "default"
    assert select.duration > 0
    assert not select.many
    assert select.error is None
    assert insert.many
    assert list(insert.params) == [("A", "a@example.com"), ("B", "b@example.com")]
    assert Author.objects.count() == 2  # the iterator was not consumed by the capture


def test_a_loop_of_lookups_shares_one_fingerprint(db: None) -> None:
    blogs = Blog.objects.bulk_create([Blog(name=f"b{i}", tagline="") for i in range(3)])
    with profiler.capture() as captured:
        for blog in blogs:
            Blog.objects.get(pk=blog.pk)
        list(Blog.objects.filter(pk__in=[b.pk for b in blogs]))
        list(Blog.objects.filter(pk__in=[blogs[0].pk]))
    loop, in_three, in_one = captured[:3], captured[3], captured[4]
    assert len({q.fingerprint for q in loop}) == 1
    assert in_three.fingerprint == in_one.fingerprint
    assert "IN (...)" in in_three.fingerprint
    assert in_three.sql != in_one.sql
    assert [len(group) for group in captured.similar()] == [3, 2]


def test_fingerprint_collapses_literals_and_in_lists() -> None:
    a = fingerprint("SELECT * FROM t WHERE name = 'x' AND id = 5 AND k IN (1, 2, 3)")
    b = fingerprint("select *  from t where name = 'yy' and id = 70 and k in (4)")
    assert a == b
    assert a == "SELECT * FROM t WHERE name = ? AND id = ? AND k IN (...)"
    assert fingerprint("SELECT 1 FROM t WHERE id = %s") != fingerprint("SELECT 1 FROM u WHERE id = %s")


@pytest.mark.parametrize(
    ("sql", "kind", "tables"),
    [
        ('SELECT "a"."x" FROM "a" INNER JOIN "b" ON ("a"."id" = "b"."a_id")', "SELECT", ("a", "b")),
        ('INSERT INTO "a" ("x") VALUES (%s)', "INSERT", ("a",)),
        ('UPDATE "a" SET "x" = %s WHERE "a"."id" = %s', "UPDATE", ("a",)),
        ('DELETE FROM "a" WHERE "a"."id" IN (%s, %s)', "DELETE", ("a",)),
        ('SAVEPOINT "s1_x1"', "SAVEPOINT", ()),
        ('SELECT COUNT(*) FROM (SELECT "a"."id" FROM "a") subquery', "SELECT", ("a",)),
    ],
)
def test_kind_and_tables(sql: str, kind: str, tables: tuple[str, ...]) -> None:
    statement = analyse(sql)
    assert statement.kind == kind
    assert statement.tables == tables


def test_kind_and_tables_of_orm_statements(db: None) -> None:
    with profiler.capture() as captured:
        blog = Blog.objects.create(name="K", tagline="")
        list(Entry.objects.select_related("blog").filter(blog=blog))
        Blog.objects.filter(pk=blog.pk).update(tagline="t")
        Blog.objects.filter(pk=blog.pk).delete()
    kinds = [q.kind for q in captured]
    assert kinds[:3] == ["INSERT", "SELECT", "UPDATE"]
    assert kinds[-1] == "DELETE"
    assert captured[1].tables == (Entry._meta.db_table, Blog._meta.db_table)
    assert captured[1].statement.is_write is False
    assert captured[2].is_write


def test_duplicates_need_the_same_params(db: None) -> None:
    with profiler.capture() as captured:
        Blog.objects.filter(name="x").exists()
        Blog.objects.filter(name="x").exists()
        Blog.objects.filter(name="y").exists()
    assert [len(g) for g in captured.duplicates()] == [2]
    assert [len(g) for g in captured.similar()] == [3]
    assert captured.total_time == pytest.approx(sum(q.duration for q in captured))


def test_format_sql_is_readable() -> None:
    text = format_sql('select "a"."x" from "a" where "a"."id" = %s')
    assert text.splitlines() == ['SELECT "a"."x"', 'FROM "a"', 'WHERE "a"."id" = %s']


def test_origin_of_a_statement_run_at_module_level_of_a_notebook_cell() -> None:
    from profiler.records import Frame, short_path

    assert short_path("/tmp/ipykernel_1234/2345.py") == "<cell>"
    assert str(Frame("/tmp/ipykernel_1234/2345.py", 3, "<module>")) == "<cell>:3 in <module>"
    assert short_path(inspect.getfile(test_format_sql_is_readable)).startswith("tests")


def test_a_path_outside_the_working_directory_is_shown_from_its_import_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A notebook runs in notebooks/ while the project's code is imported from its parent."""
    from profiler.records import short_path

    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    views = project / "app" / "views.py"
    monkeypatch.chdir(project / "notebooks")
    assert short_path(str(views)) == str(views)  # not importable: the full path
    monkeypatch.syspath_prepend(str(project))
    assert short_path(str(views)) == os.path.join("app", "views.py")
    assert short_path(str(project / "notebooks" / "x.py")) == "x.py"  # the working directory first
