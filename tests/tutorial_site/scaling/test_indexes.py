"""The pub_date index as a migration applied to one database: its SQL, applying and undoing it, and
the plan of a pub_date filter before and after (on the lab's PostgreSQL)."""

import datetime

import pytest

import profiler
from tutorial_site.blog.models import Entry
from tutorial_site.scaling.cluster import Cluster
from tutorial_site.scaling.indexes import apply, has_index, migration_sql, pub_date_index_migration, unapply
from tutorial_site.scaling.plans import plan_nodes, time_plan

MARCH_2006 = (datetime.date(2006, 3, 1), datetime.date(2006, 3, 31))


def test_the_migration_is_the_blog_apps_next_one() -> None:
    migration = pub_date_index_migration()
    assert (migration.app_label, migration.name) == ("blog", "0002_entry_pub_date_index")
    assert migration.dependencies == [("blog", "0001_initial")]


@pytest.mark.django_db(transaction=True)  # SQLite changes its schema outside a test's transaction only
def test_apply_and_unapply_on_the_default_database() -> None:
    migration = pub_date_index_migration()
    assert any(
        'CREATE INDEX "blog_entry_pub_date_idx" ON "blog_entry" ("pub_date")' in s
        for s in migration_sql(migration)
    )
    assert not has_index()
    apply(migration)
    try:
        assert has_index()
    finally:
        unapply(migration)
    assert not has_index()


@pytest.mark.postgres
def test_the_index_turns_a_sequential_scan_into_an_index_scan(lab: Cluster) -> None:
    with profiler.capture(stacks=False) as captured:
        rows = list(Entry.objects.using("lab").filter(pub_date__range=MARCH_2006))
    migration = pub_date_index_migration()
    before = time_plan("before", captured, 0, repeat=2)
    apply(migration, using="lab")
    try:
        after = time_plan("after", captured, 0, repeat=2)
    finally:
        unapply(migration, using="lab")
    assert before.nodes == ["Seq Scan"]
    assert "blog_entry_pub_date_idx" in after.plan
    assert after.nodes[-1] in ("Index Scan", "Bitmap Index Scan")
    assert f"rows={len(rows)} loops=1" in after.plan.splitlines()[0]


def test_plan_nodes_reads_postgresql_plans() -> None:
    plan = (
        "Sort  (cost=1.5..1.6 rows=24 width=5) (actual time=0.1..0.1 rows=24 loops=1)\n"
        "  Sort Key: name\n"
        "  ->  Hash Right Join  (cost=1.54..106.95 rows=2400 width=70)\n"
        "        ->  Bitmap Index Scan on blog_entry_blog_id  (cost=0.00..5.06 rows=104 width=0)\n"
        "Planning Time: 0.1 ms\nExecution Time: 1.637 ms"
    )
    assert plan_nodes(plan) == ["Sort", "Hash Right Join", "Bitmap Index Scan"]
