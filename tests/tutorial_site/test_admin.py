"""The admin covers every model and runs a bounded number of queries whatever the row count."""

import datetime
import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tutorial_site.blog.models import Author, Blog, Entry
from tutorial_site.library.models import Book, City, Person
from tutorial_site.pizzeria.models import Pizza, Restaurant, Topping
from tutorial_site.seeding import generate, load

SITE_MODELS = [
    m for label in ("blog", "library", "pizzeria") for m in apps.get_app_config(label).get_models()
]


def add_entries(n: int) -> None:
    """``n`` entries, each on its own blog with its own author: any per-row query would show."""
    for _ in range(n):
        blog = Blog.objects.create(name=f"Blog {Blog.objects.count()}", tagline="t")
        entry = Entry.objects.create(
            blog=blog,
            headline=f"Entry of {blog.name}",
            body_text="b",
            pub_date=datetime.date(2005 + blog.pk % 5, 1, 1),
            mod_date=datetime.date(2011, 1, 1),
            number_of_comments=0,
            number_of_pingbacks=0,
            rating=3,
        )
        entry.authors.add(Author.objects.create(name=f"Author of {blog.name}", email="a@example.com"))


def add_people(n: int) -> None:
    for i in range(n):
        Person.objects.create(name=f"Person {i}", hometown=City.objects.create(name=f"City {i}"))


def add_books(n: int) -> None:
    for i in range(n):
        city = City.objects.create(name=f"Town {i}")
        author = Person.objects.create(name=f"Writer {i}", hometown=city)
        Book.objects.create(title=f"Book {i}", author=author)


def add_restaurants(n: int) -> None:
    for i in range(n):
        pizza = Pizza.objects.create(name=f"Pizza {i}", vegetarian=bool(i % 2))
        pizza.toppings.add(Topping.objects.create(name=f"topping {i}"))
        restaurant = Restaurant.objects.create(name=f"Restaurant {i}", best_pizza=pizza)
        restaurant.pizzas.add(pizza)


def query_count(client: Client, url: str) -> int:
    """Queries of one GET of ``url``, after a first GET has warmed process-wide caches."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_model_is_registered() -> None:
    assert len(SITE_MODELS) == 9
    missing = [m.__name__ for m in SITE_MODELS if not admin.site.is_registered(m)]
    assert missing == []


def test_relations_use_autocomplete_widgets_not_full_selects() -> None:
    """A <select> listing every blog or author would load whole tables on each change form."""
    for model in SITE_MODELS:
        model_admin = admin.site.get_model_admin(model)
        widgets = set(model_admin.autocomplete_fields) | set(model_admin.raw_id_fields)
        relations = [
            f.name
            for f in model._meta.get_fields()
            if f.is_relation and f.concrete and (f.many_to_one or f.many_to_many)
        ]
        assert set(relations) <= widgets, f"{model.__name__}: {set(relations) - widgets}"


@pytest.mark.parametrize(
    ("url", "add", "plural"),
    [
        ("/admin/blog/entry/", add_entries, "entries"),
        ("/admin/library/book/", add_books, "books"),
        ("/admin/library/person/", add_people, "people"),
        ("/admin/pizzeria/restaurant/", add_restaurants, "restaurants"),
    ],
)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client: Client, url: str, add: Callable[[int], None], plural: str
) -> None:
    add(5)
    with_5 = query_count(admin_client, url)
    add(45)
    with_50 = query_count(admin_client, url)
    response = admin_client.get(url)
    assert f"50 {plural}" in response.content.decode()
    assert with_50 == with_5


@pytest.mark.parametrize(("model", "add"), [(Entry, add_entries), (Book, add_books)])
def test_change_form_queries_do_not_grow_with_related_rows(
    admin_client: Client, model: type[models.Model], add: Callable[[int], None]
) -> None:
    add(5)
    obj = model.objects.order_by("pk").first()
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/change/"
    with_5 = query_count(admin_client, url)
    add(45)
    assert query_count(admin_client, url) == with_5


def test_every_model_has_a_readable_str(db: None) -> None:
    load(generate("small", 0), progress=False)
    for model in SITE_MODELS:
        obj = model.objects.order_by("pk").first()
        text = str(obj)
        assert text, model.__name__
        assert not re.fullmatch(r"\w+ object \(\d+\)", text), f"{model.__name__} has no __str__"
        values = [str(getattr(obj, f.attname)) for f in model._meta.concrete_fields]
        assert text in values, f"str({model.__name__}) should show one of its fields"
