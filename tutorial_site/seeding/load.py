"""Load a generated :class:`Dataset` into a database, in one transaction, at close to the speed of a raw
``executemany``.

Each table gets one ``INSERT`` built from its model's metadata (table, columns, the backend's quoting)
and sent with Django's cursor ``executemany``, batch by batch. Values go through their model field's
``get_db_prep_save`` (dates become text on SQLite, for instance) unless the field would return them
unchanged: that is checked once per column and Python type, not for every value. Model instances and
the ``bulk_create`` compiler are left out on purpose: they cost 4-6x the insert itself
(``bench/seed.py`` measures both) and buy nothing here, where every value is explicit and already of
its field's type, and no signal has a receiver for seeded rows.
"""

import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from tqdm.auto import tqdm

from .generate import Dataset, Row

BATCH_SIZE = 2_000  # rows per executemany: the progress bar moves between batches

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
    connection = connections[using]
    with (
        transaction.atomic(using=using),
        tqdm(total=total, unit="rows", desc="seeding", disable=not progress, leave=False) as bar,
        connection.cursor() as cursor,
    ):
        if existing:
            flush(using)
        for table, (_, fields) in TABLES.items():
            model = model_for(table)
            rows = data.tables[table]
            sql = insert_sql(model, fields, connection)
            for batch in _batches(adapted(model, fields, rows, connection), BATCH_SIZE):
                cursor.executemany(sql, batch)
                bar.update(len(batch))
            written[model._meta.db_table] = len(rows)
        _reset_sequences(using)
    return written


def insert_sql(model: type[models.Model], fields: Sequence[str], connection: BaseDatabaseWrapper) -> str:
    """``INSERT INTO table (columns) VALUES (%s, ...)`` for ``fields`` (names or attnames) of ``model``."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"


def adapted(
    model: type[models.Model], fields: Sequence[str], rows: list[Row], connection: BaseDatabaseWrapper
) -> list[Row]:
    """``rows`` with every value as its model field would send it to ``connection``.

    A field is asked once per Python type it meets in its column; values of a type it passes through
    unchanged (ints, strings, None, and dates on PostgreSQL) are sent as they are.
    """
    converters = [
        _converter(model._meta.get_field(name), i, rows, connection) for i, name in enumerate(fields)
    ]
    if not any(converters):
        return rows
    return [
        tuple(convert(value) if convert else value for convert, value in zip(converters, row, strict=True))
        for row in rows
    ]


def _converter(
    field: Any, index: int, rows: list[Row], connection: BaseDatabaseWrapper
) -> Callable[[Any], Any] | None:
    prepare = field.get_db_prep_save
    samples: dict[type, Any] = {}
    for row in rows:
        samples.setdefault(type(row[index]), row[index])
    changed = set()
    for kind, value in samples.items():
        prepared = prepare(value, connection)
        if type(prepared) is not kind or prepared != value:
            changed.add(kind)
    if not changed:
        return None
    return lambda value: prepare(value, connection) if type(value) in changed else value


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
