"""Rows for every page of the site, ``n`` of each relation, so that a lazy page's statements grow
with ``n`` (names are unique, so pages list rows in one defined order)."""

import datetime

from tutorial_site.blog.models import Author, Blog, Entry
from tutorial_site.library.models import Book, City, Person
from tutorial_site.pizzeria.models import Pizza, Restaurant, Topping

DAY = datetime.date(2008, 1, 1)


def populate(n: int) -> None:
    """Replace every row: n blogs of n entries, each entry by the first author and one other;
    n books by n people from 2 cities; n restaurants serving n pizzas of 2 toppings each."""
    for model in (Entry, Blog, Author, Book, Person, City, Restaurant, Pizza, Topping):
        model.objects.all().delete()
    authors = Author.objects.bulk_create(
        Author(name=f"Author {i:02}", email=f"author{i}@example.com") for i in range(n + 1)
    )
    blogs = Blog.objects.bulk_create(Blog(name=f"Blog {i:02}", tagline=f"Tagline {i}") for i in range(n))
    entries = Entry.objects.bulk_create(
        Entry(
            blog=blog,
            headline=f"{blog.name}, entry {k:02}",
            body_text="",
            pub_date=DAY + datetime.timedelta(days=b * n + k),
            mod_date=DAY,
            number_of_comments=0,
            number_of_pingbacks=0,
            rating=k % 5 + 1,
        )
        for b, blog in enumerate(blogs)
        for k in range(n)
    )
    links = Entry.authors.through
    links.objects.bulk_create(
        links(entry_id=entry.pk, author_id=author.pk)
        for i, entry in enumerate(entries)
        for author in (authors[0], authors[1 + i % n])
    )
    cities = City.objects.bulk_create([City(name="Liverpool"), City(name="Hamburg")])
    people = Person.objects.bulk_create(
        Person(name=f"Person {i:02}", hometown=cities[i % 2]) for i in range(n)
    )
    Book.objects.bulk_create(Book(title=f"Book {i:02}", author=person) for i, person in enumerate(people))
    toppings = Topping.objects.bulk_create(Topping(name=f"topping {i:02}") for i in range(n + 1))
    pizzas = Pizza.objects.bulk_create(Pizza(name=f"Pizza {i:02}", vegetarian=i % 2 == 0) for i in range(n))
    Pizza.toppings.through.objects.bulk_create(
        Pizza.toppings.through(pizza_id=pizza.pk, topping_id=topping.pk)
        for i, pizza in enumerate(pizzas)
        for topping in (toppings[i], toppings[i + 1])
    )
    restaurants = Restaurant.objects.bulk_create(
        Restaurant(name=f"Restaurant {i:02}", best_pizza=pizzas[i] if i else None) for i in range(n)
    )
    Restaurant.pizzas.through.objects.bulk_create(
        Restaurant.pizzas.through(restaurant_id=restaurant.pk, pizza_id=pizza.pk)
        for restaurant in restaurants
        for pizza in pizzas
    )
