"""load(): executemany with the fields' own conversions writes exactly what the ORM's bulk_create writes."""

import datetime

import pytest
from django.db import connection

from tutorial_site.blog.models import Blog, Entry
from tutorial_site.seeding import Dataset, content_hash, flush, generate, load
from tutorial_site.seeding.load import TABLES, adapted, model_for


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate("small", 0)


def bulk_create(data: Dataset) -> None:
    """The reference: every row as a model instance through QuerySet.bulk_create."""
    for table, (_, fields) in TABLES.items():
        model = model_for(table)
        rows = [model(**dict(zip(fields, row, strict=True))) for row in data.tables[table]]
        model.objects.bulk_create(rows)


def test_load_writes_what_bulk_create_writes(db: None, small: Dataset) -> None:
    load(small, progress=False)
    loaded = content_hash()
    flush()
    bulk_create(small)
    assert content_hash() == loaded
    entry = Entry.objects.get(id=1)
    assert entry.pub_date == datetime.date(2005, 1, 2)  # a date read back as a date
    assert entry.summary is None


def test_ids_continue_after_the_seeded_ones(db: None, small: Dataset) -> None:
    load(small, progress=False)
    assert Blog.objects.create(name="New", tagline="").id == small.count("blog") + 1


def test_only_values_a_field_would_change_are_converted(db: None) -> None:
    fields = ("id", "blog_id", "headline", "body_text", "summary", "pub_date", "mod_date")
    day = datetime.date(2008, 1, 1)
    rows = [(1, 2, "a", "b", None, day, day), (2, 2, "c", "d", "e", day, day)]
    converted = adapted(Entry, fields, rows, connection)
    prepared = Entry._meta.get_field("pub_date").get_db_prep_save(day, connection)
    assert converted == [(*row[:5], prepared, prepared) for row in rows]
    blogs = [(1, "x", "y")]
    assert adapted(Blog, ("id", "name", "tagline"), blogs, connection) is blogs  # nothing to convert
