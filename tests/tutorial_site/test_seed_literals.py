"""The seed sheet's literal examples return rows from a small/0 seed (one load for the module)."""

import datetime
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.db.models import F
from pytest_django import DjangoDbBlocker

from tutorial_site.blog.models import Author, Blog, Entry
from tutorial_site.library.models import Book
from tutorial_site.pizzeria.models import Pizza, Restaurant
from tutorial_site.seeding import generate, load


@pytest.fixture(scope="module")
def seeded_module(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """Load once for the module inside a transaction that is rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        load(generate("small", 0), progress=False)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_module: None, db: None) -> None:
    """Each test runs in a savepoint inside the module's transaction."""


def test_literal_blogs_and_authors(seeded: None) -> None:
    assert Blog.objects.get(pk=1).name == "Beatles Blog"
    assert Blog.objects.filter(name="Cheddar Talk").exists()
    assert list(Blog.objects.filter(name__startswith="Beatles").values("name__lower")) == [
        {"name__lower": "beatles blog"}
    ]
    assert set(Author.objects.filter(name__in=["Joe", "John", "Paul"]).values_list("name", flat=True)) == {
        "Joe",
        "John",
        "Paul",
    }


def test_hello_entries_and_the_two_excludes_differ(seeded: None) -> None:
    assert Entry.objects.filter(headline="Hello").count() >= 2
    together = Entry.objects.exclude(pub_date__gt=datetime.date(2005, 1, 3), headline="Hello")
    chained = Entry.objects.exclude(pub_date__gt=datetime.date(2005, 1, 3)).exclude(headline="Hello")
    assert together.count() > chained.count() > 0


def test_lennon_in_2008_single_filter_versus_chained_filters(seeded: None) -> None:
    single = Blog.objects.filter(entry__headline__contains="Lennon", entry__pub_date__year=2008)
    chained = Blog.objects.filter(entry__headline__contains="Lennon").filter(entry__pub_date__year=2008)
    assert "Beatles Blog" in set(single.values_list("name", flat=True))
    assert "Abbey Road Notes" not in set(single.values_list("name", flat=True))
    assert "Abbey Road Notes" in set(chained.values_list("name", flat=True))


@pytest.mark.parametrize("year", [2005, 2006, 2008])
def test_entries_exist_in_the_sheets_years(seeded: None, year: int) -> None:
    assert Entry.objects.filter(pub_date__year=year).exists()


def test_missing_values_the_lessons_need(seeded: None) -> None:
    assert Entry.objects.filter(summary__isnull=True).exists()
    assert Entry.objects.filter(summary__isnull=False).exists()
    without_entries = set(Author.objects.filter(entry__isnull=True).values_list("name", flat=True))
    assert "Don Quixote" in without_entries
    assert len(without_entries) >= Author.objects.count() // 10
    assert Blog.objects.filter(entry__isnull=True).exists()
    pairs = set(Author.objects.values_list("name", "entry__headline"))
    assert ("Noam Chomsky", "Impressions of Gaza") in pairs
    assert ("Don Quixote", None) in pairs


def test_rows_looked_up_by_id(seeded: None) -> None:
    assert Entry.objects.filter(pk=1).exists()
    assert Entry.objects.select_related("blog").get(id=5).blog.name
    book = Book.objects.select_related("author__hometown").get(id=4)
    assert book.author.hometown.name
    assert Entry.objects.filter(mod_date__gte=F("pub_date")).count() == Entry.objects.count()


def test_pizzeria_has_vegetarian_and_meat_pizzas_and_champions(seeded: None) -> None:
    assert Pizza.objects.filter(vegetarian=True).exists()
    assert Pizza.objects.filter(vegetarian=False).exists()
    assert Restaurant.objects.filter(best_pizza__isnull=False).exists()
    assert Restaurant.objects.filter(pizzas__toppings__name="mozzarella").exists()
