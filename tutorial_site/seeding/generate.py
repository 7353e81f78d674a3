"""Generate the seed rows as plain tuples: no database, fully determined by ``size`` and ``seed``.

Besides Faker's realistic text, the data holds every literal the seed sheet's examples look for:
a 'Beatles Blog' and a 'Cheddar Talk' blog, entries headlined 'Hello' on both sides of 2005-01-03,
headlines mentioning 'Lennon' in 2008 (and one in 2007, so multi-valued filters differ from
excludes), authors Joe, John and Paul, entries without a summary, authors without entries and
blogs without entries.
"""

import datetime
import random
from dataclasses import dataclass, field

from faker import Faker


@dataclass(frozen=True)
class Size:
    blogs: int
    authors: int
    entries: int
    cities: int
    people: int
    books: int
    toppings: int
    pizzas: int
    restaurants: int


SIZES: dict[str, Size] = {
    "small": Size(24, 60, 2_400, 12, 40, 200, 16, 30, 12),
    "medium": Size(120, 600, 12_000, 40, 300, 2_000, 24, 120, 60),
    "large": Size(600, 3_000, 120_000, 150, 3_000, 20_000, 30, 400, 300),
}

# Fixed rows the seed sheet's examples and the lessons rely on: (name, tagline).
LITERAL_BLOGS = [
    ("Beatles Blog", "All the latest Beatles news."),
    ("Cheddar Talk", "Cheese, discussed at length."),
    ("Abbey Road Notes", "Studio stories, mostly about Lennon and McCartney."),
]
LITERAL_AUTHORS = ["Joe", "John", "Paul", "Noam Chomsky", "Don Quixote"]
TOPPINGS = [
    "mozzarella",
    "tomato",
    "basil",
    "pepperoni",
    "mushroom",
    "onion",
    "olive",
    "ham",
    "pineapple",
    "anchovy",
    "artichoke",
    "spinach",
    "chili",
    "garlic",
    "sausage",
    "rocket",
    "gorgonzola",
    "ricotta",
    "capers",
    "aubergine",
    "courgette",
    "pesto",
    "prosciutto",
    "egg",
    "truffle",
    "salami",
    "peppers",
    "feta",
    "corn",
    "bacon",
]
MEAT = {"pepperoni", "ham", "anchovy", "sausage", "prosciutto", "salami", "bacon"}
FIRST_DAY = datetime.date(2004, 1, 1)
DAYS = (datetime.date(2010, 12, 31) - FIRST_DAY).days

Row = tuple


@dataclass
class Dataset:
    """Rows per table, in insertion order; ids are explicit so every database gets the same ones."""

    tables: dict[str, list[Row]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.tables[table])


def generate(size: str = "small", seed: int = 0) -> Dataset:
    """Build the rows for ``size`` ('small', 'medium' or 'large') from the random ``seed``."""
    if size not in SIZES:
        raise ValueError(f"Unknown size {size!r}: choose one of {', '.join(SIZES)}.")
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"The seed must be a non-negative integer, got {seed!r}.")
    spec = SIZES[size]
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    data = Dataset()
    _blog_tables(data, spec, rng, fake)
    _library_tables(data, spec, rng, fake)
    _pizzeria_tables(data, spec, rng, fake)
    return data


def _day(rng: random.Random) -> datetime.date:
    return FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))


def _blog_tables(data: Dataset, spec: Size, rng: random.Random, fake: Faker) -> None:
    blogs = [(i, name, tagline) for i, (name, tagline) in enumerate(LITERAL_BLOGS, 1)]
    for i in range(len(blogs) + 1, spec.blogs + 1):
        blogs.append((i, f"{fake.unique.company()} Blog", fake.catch_phrase()))
    authors = []
    for i, name in enumerate(LITERAL_AUTHORS, 1):
        authors.append((i, name, f"{name.split()[0].lower()}@example.com"))
    for i in range(len(authors) + 1, spec.authors + 1):
        name = fake.name()
        authors.append((i, name, fake.unique.email(safe=True)))
    # The last blog and the last tenth of the authors stay without entries.
    writing_blogs = [b[0] for b in blogs[:-1]]
    writing_authors = [a[0] for a in authors[: max(len(LITERAL_AUTHORS), len(authors) * 9 // 10)]]
    writing_authors.remove(5)  # 'Don Quixote' never writes, as in the seed sheet's values_list example

    entries: list[Row] = []
    entry_authors: list[Row] = []

    def add_entry(
        blog_id: int,
        headline: str,
        pub_date: datetime.date,
        author_ids: list[int],
        summary: str | None = "",
    ) -> None:
        entry_id = len(entries) + 1
        mod_date = pub_date + datetime.timedelta(days=rng.randrange(60))
        if summary == "":
            summary = fake.sentence(nb_words=10) if rng.random() < 0.7 else None
        entries.append(
            (
                entry_id,
                blog_id,
                headline,
                fake.paragraph(nb_sentences=3),
                summary,
                pub_date,
                mod_date,
                rng.randrange(200),
                rng.randrange(20),
                rng.randint(1, 5),
            )
        )
        for author_id in sorted(set(author_ids)):
            entry_authors.append((len(entry_authors) + 1, entry_id, author_id))

    # The seed sheet's literal examples, first, so their ids are small and stable.
    add_entry(1, "Hello", datetime.date(2005, 1, 2), [1, 2], summary=None)
    add_entry(2, "Hello", datetime.date(2005, 6, 15), [3], summary="A cheesy greeting.")
    add_entry(1, "Lennon's last interview, annotated", datetime.date(2008, 3, 9), [2, 3])
    add_entry(3, "Lennon at Abbey Road", datetime.date(2007, 11, 2), [2])
    add_entry(3, "Mixing desks of 2008", datetime.date(2008, 5, 20), [4])
    add_entry(1, "Impressions of Gaza", datetime.date(2006, 2, 1), [4], summary=None)
    add_entry(2, "Hello", datetime.date(2004, 12, 24), [1])
    add_entry(1, "Lennon remembered", datetime.date(2008, 12, 8), [1, 2, 3])

    while len(entries) < spec.entries:
        n_authors = rng.choices((1, 2, 3, 4), weights=(1, 3, 4, 2))[0]
        add_entry(
            rng.choice(writing_blogs),
            fake.sentence(nb_words=rng.randint(4, 9)).rstrip("."),
            _day(rng),
            rng.sample(writing_authors, n_authors),
        )
    data.tables["blog"] = blogs
    data.tables["author"] = authors
    data.tables["entry"] = entries
    data.tables["entry_authors"] = entry_authors


def _library_tables(data: Dataset, spec: Size, rng: random.Random, fake: Faker) -> None:
    cities = [(i, fake.unique.city()) for i in range(1, spec.cities + 1)]
    people = [(i, fake.name(), rng.randint(1, spec.cities)) for i in range(1, spec.people + 1)]
    books = [(i, fake.catch_phrase().title(), rng.randint(1, spec.people)) for i in range(1, spec.books + 1)]
    data.tables["city"] = cities
    data.tables["person"] = people
    data.tables["book"] = books


def _pizzeria_tables(data: Dataset, spec: Size, rng: random.Random, fake: Faker) -> None:
    names = TOPPINGS[: spec.toppings]
    toppings = [(i, name) for i, name in enumerate(names, 1)]
    pizzas, pizza_toppings = [], []
    for i in range(1, spec.pizzas + 1):
        chosen = sorted(rng.sample(range(1, len(names) + 1), rng.randint(2, 5)))
        vegetarian = not any(names[t - 1] in MEAT for t in chosen)
        label = " & ".join(names[t - 1].title() for t in chosen[:2])
        pizzas.append((i, f"{label} #{i}", vegetarian))
        for t in chosen:
            pizza_toppings.append((len(pizza_toppings) + 1, i, t))
    restaurants, restaurant_pizzas = [], []
    for i in range(1, spec.restaurants + 1):
        menu = sorted(rng.sample(range(1, spec.pizzas + 1), min(spec.pizzas, rng.randint(3, 8))))
        best = rng.choice(menu) if rng.random() < 0.85 else None
        restaurants.append((i, f"{fake.last_name()}'s Pizzeria", best))
        for p in menu:
            restaurant_pizzas.append((len(restaurant_pizzas) + 1, i, p))
    data.tables["topping"] = toppings
    data.tables["pizza"] = pizzas
    data.tables["pizza_toppings"] = pizza_toppings
    data.tables["restaurant"] = restaurants
    data.tables["restaurant_pizzas"] = restaurant_pizzas
