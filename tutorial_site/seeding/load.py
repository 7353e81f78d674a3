"""Load a generated :class:`Dataset` into a database with the ORM, in one transaction."""

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, models, transaction
from tqdm.auto import tqdm

from .generate import Dataset

BATCH_SIZE = 2_000

# Table name in the Dataset → (model label or M2M "label.field", field names of the row tuple).
TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "blog": ("blog.Blog", ("id", "name", "tagline")),
    "author": ("blog.Author", ("id", "name", "email")),
    "entry": (
        "blog.Entry",
        (
            "id",
            "blog_id",
            "headline",
            "body_text",
            "summary",
            "pub_date",
            "mod_date",
            "number_of_comments",
            "number_of_pingbacks",
            "rating",
        ),
    ),
    "entry_authors": ("blog.Entry.authors", ("id", "entry_id", "author_id")),
    "city": ("library.City", ("id", "name")),
    "person": ("library.Person", ("id", "name", "hometown_id")),
    "book": ("library.Book", ("id", "title", "author_id")),
    "topping": ("pizzeria.Topping", ("id", "name")),
    "pizza": ("pizzeria.Pizza", ("id", "name", "vegetarian")),
    "pizza_toppings": ("pizzeria.Pizza.toppings", ("id", "pizza_id", "topping_id")),
    "restaurant": ("pizzeria.Restaurant", ("id", "name", "best_pizza_id")),
    "restaurant_pizzas": ("pizzeria.Restaurant.pizzas", ("id", "restaurant_id", "pizza_id")),
}


class SeedError(Exception):
    """The seed cannot be loaded as asked; the message says why and what to do."""


def model_for(table: str) -> type[models.Model]:
    """The model (or auto-created through model) that stores ``table``'s rows."""
    label, _ = TABLES[table]
    app_label, model_name, *m2m = label.split(".")
    model = apps.get_model(app_label, model_name)
    if m2m:
        return model._meta.get_field(m2m[0]).remote_field.through
    return model


def seeded_models() -> list[type[models.Model]]:
    return [model_for(table) for table in TABLES]


def seeded_counts(using: str = "default") -> dict[str, int]:
    """Row count of every seeded table in database ``using``."""
    return {model._meta.db_table: model.objects.using(using).count() for model in seeded_models()}


def flush(using: str = "default") -> None:
    """Delete every seeded row (children first); users and sessions are left alone."""
    for model in reversed(seeded_models()):
        model.objects.using(using).all()._raw_delete(using)


def load(
    data: Dataset, using: str = "default", *, replace: bool = False, progress: bool = True
) -> dict[str, int]:
    """Insert ``data`` into ``using`` in one transaction and return the rows written per table.

    Refuses (``SeedError``, nothing written) when the database already holds seeded rows, unless
    ``replace`` is true, in which case those rows are deleted inside the same transaction.
    """
    existing = {table: n for table, n in seeded_counts(using).items() if n}
    if existing and not replace:
        listed = ", ".join(f"{table}: {n}" for table, n in existing.items())
        raise SeedError(
            f"The database {using!r} already holds tutorial data ({listed}). Nothing was changed. "
            "Re-run with --flush to replace it, or point DATABASE_URL at an empty database."
        )
    total = sum(len(rows) for rows in data.tables.values())
    written: dict[str, int] = {}
    with (
        transaction.atomic(using=using),
        tqdm(total=total, unit="rows", desc="seeding", disable=not progress, leave=False) as bar,
    ):
        if existing:
            flush(using)
        for table, (_, fields) in TABLES.items():
            model = model_for(table)
            rows = data.tables[table]
            for batch in _batches(rows, BATCH_SIZE):
                model.objects.using(using).bulk_create(_instances(model, fields, batch))
                bar.update(len(batch))
            written[model._meta.db_table] = len(rows)
        _reset_sequences(using)
    return written


def _instances(
    model: type[models.Model], fields: tuple[str, ...], rows: list[tuple]
) -> Iterator[models.Model]:
    build: Callable[..., models.Model] = model
    if [f.attname for f in model._meta.concrete_fields] == list(fields):
        # Rows in concrete-field order take Model.__init__'s fast positional path.
        for row in rows:
            yield build(*row)
    else:
        for row in rows:
            yield build(**dict(zip(fields, row, strict=True)))


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _reset_sequences(using: str) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the highest id."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), seeded_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def content_hash(using: str = "default") -> str:
    """A SHA-256 over every seeded row, ordered by id: equal hashes mean equal content."""
    digest = hashlib.sha256()
    for table, (_, fields) in TABLES.items():
        model = model_for(table)
        digest.update(table.encode())
        for row in model.objects.using(using).order_by("id").values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()
