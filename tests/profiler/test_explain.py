"""capture.explain(): the plan of one captured SELECT, never a re-run write."""

import pytest
from django.db import connection, connections

import profiler
from profiler import ProfilerError, Query
from profiler.explain import check_read_only
from tutorial_site.blog.models import Author, Blog, Entry


def _plan_looks_right(plan: str, vendor: str) -> None:
    if vendor == "sqlite":
        assert plan.splitlines()[0] == "QUERY PLAN"
        assert any(word in plan for word in ("SCAN", "SEARCH"))
    else:
        assert "cost=" in plan


def test_explain_a_captured_select(db: None) -> None:
    with profiler.capture() as captured:
        list(Entry.objects.filter(blog__name="Beatles Blog"))
        before = len(captured)
        plan = captured.explain(captured[0])  # inside the block: the EXPLAIN is not recorded
        assert len(captured) == before
    _plan_looks_right(plan, connection.vendor)
    assert captured.explain(0) == plan
    if connection.vendor == "sqlite":
        assert Entry._meta.db_table in plan


@pytest.mark.django_db(databases=["default", "other"])
def test_explain_runs_on_the_statement_s_alias() -> None:
    with profiler.capture(using="other") as captured:
        Blog.objects.using("other").filter(name="x").exists()
    plan = captured.explain(captured[0])
    _plan_looks_right(plan, connections["other"].vendor)


def test_writes_are_refused_and_not_run(db: None) -> None:
    blog = Blog.objects.create(name="Keep me", tagline="")
    with profiler.capture() as captured:
        Blog.objects.create(name="New", tagline="")
        Blog.objects.filter(pk=blog.pk).update(tagline="changed")
        Author.objects.filter(name="nobody").delete()
        Blog.objects.filter(name="New").delete()
    writes = [q for q in captured if q.kind in {"INSERT", "UPDATE", "DELETE"}]
    assert len(writes) >= 3
    for query in writes:
        with pytest.raises(ProfilerError, match=f"only explains SELECT statements.*{query.kind}"):
            captured.explain(query)
    assert list(Blog.objects.values_list("name", "tagline")) == [("Keep me", "changed")]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ('SELECT "id" FROM "blog_blog" WHERE "id" = %s FOR UPDATE', "FOR UPDATE/SHARE"),
        ('SELECT "id" FROM "blog_blog" FOR NO KEY UPDATE', "FOR UPDATE/SHARE"),
        ('SELECT "id" FROM "blog_blog" FOR SHARE', "FOR UPDATE/SHARE"),
        ('WITH gone AS (DELETE FROM "blog_blog" RETURNING "id") SELECT * FROM gone', "DELETE"),
        ('WITH n AS (INSERT INTO "blog_blog" ("name") VALUES (%s) RETURNING 1) SELECT 1', "INSERT"),
        ('SELECT "id" INTO "copy" FROM "blog_blog"', "INTO"),
        ('CREATE TABLE "t" AS SELECT 1', "CREATE"),
        ('DROP TABLE "blog_blog"', "DROP"),
        ('SELECT 1; DELETE FROM "blog_blog"', "holds 2"),
        ('SAVEPOINT "s1"', "only explains SELECT"),
    ],
)
def test_hidden_writes_and_locks_are_refused(sql: str, message: str) -> None:
    with pytest.raises(ProfilerError, match=message):
        check_read_only(sql)


def test_locking_select_records_are_refused(db: None) -> None:
    query = Query(
        'SELECT "id" FROM "blog_blog" WHERE "id" = %s FOR UPDATE',
        [1],
        "default",
        0.0,
        False,
        None,
        [],
    )
    with pytest.raises(ProfilerError, match="select_for_update"):
        profiler.Capture().explain(query)


def test_plain_selects_pass_the_check() -> None:
    check_read_only('SELECT "a"."id" FROM "a" WHERE "a"."name" = %s ORDER BY "a"."id"')
    check_read_only('WITH x AS (SELECT 1 AS "n") SELECT "n" FROM x')
    check_read_only('SELECT "update", "delete" FROM "a"')  # quoted names are not keywords


def test_executemany_is_refused(db: None) -> None:
    with profiler.capture() as captured, connection.cursor() as cursor:
        cursor.executemany(
            f'INSERT INTO "{Author._meta.db_table}" ("name", "email") VALUES (%s, %s)',
            [("A", "a@example.com"), ("B", "b@example.com")],
        )
    (query,) = captured
    assert query.many
    with pytest.raises(ProfilerError, match="executemany"):
        captured.explain(query)


def test_analyze_needs_postgresql(db: None) -> None:
    with profiler.capture() as captured:
        Blog.objects.count()
    if connection.vendor == "sqlite":
        with pytest.raises(ProfilerError, match=r"analyze=True\) needs PostgreSQL"):
            captured.explain(captured[0], analyze=True)
    else:
        assert "actual time=" in captured.explain(captured[0], analyze=True)


PROBE = "profiler.explain_probe"


def _probe() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [PROBE])
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.parametrize("database", ["db", "transactional_db"])
def test_explain_analyze_runs_in_a_transaction_that_is_rolled_back(
    database: str, request: pytest.FixtureRequest
) -> None:
    """A session-level set_config() in the SELECT survives only if the transaction commits."""
    request.getfixturevalue(database)
    with profiler.capture() as captured, connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [PROBE, "ran"])
    assert _probe() == "ran"  # the statement does change the session when it commits
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [PROBE, "before"])
    autocommit = connection.get_autocommit()
    plan = captured.explain(captured[0], analyze=True)
    assert "actual time=" in plan
    assert _probe() == "before"
    assert connection.get_autocommit() == autocommit
    assert "cost=" in captured.explain(captured[0])
