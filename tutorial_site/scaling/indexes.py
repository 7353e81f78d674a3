"""An index on ``Entry.pub_date``, as a migration applied to one database only.

In a project this is ``blog/migrations/0002_entry_pub_date_index.py`` (and ``Meta.indexes`` on
``Entry``), applied everywhere by ``migrate``. Here it is applied to one database of the notebook's
choosing, so that the plan of a ``pub_date`` filter can be compared before and after without
changing the other notebooks' databases (an index can change the order of unordered results)::

    migration = pub_date_index_migration()
    migration_sql(migration)       # the CREATE INDEX that migrate would run
    apply(migration)               # on the ``default`` database; unapply(migration) drops it
"""

from django.db import connections, models
from django.db.migrations import AddIndex, Migration
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

PUB_DATE_INDEX = models.Index(fields=["pub_date"], name="blog_entry_pub_date_idx")


class AddPubDateIndex(Migration):
    """``blog/migrations/0002_entry_pub_date_index.py``, as ``makemigrations`` would write it."""

    dependencies = [("blog", "0001_initial")]
    operations = [AddIndex("entry", PUB_DATE_INDEX)]


def pub_date_index_migration() -> Migration:
    """The blog app's migration that adds :data:`PUB_DATE_INDEX` to ``Entry``."""
    return AddPubDateIndex("0002_entry_pub_date_index", "blog")


def _state(using: str) -> ProjectState:
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    return loader.project_state(("blog", "0001_initial"), at_end=True)


def migration_sql(migration: Migration, using: str = "default") -> list[str]:
    """The SQL ``migration`` runs on ``using`` (what ``manage.py sqlmigrate`` prints)."""
    connection = connections[using]
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        migration.apply(_state(using), editor, collect_sql=True)
    return list(editor.collected_sql)


def apply(migration: Migration, using: str = "default") -> None:
    """Run ``migration`` on ``using`` (without recording it in ``django_migrations``)."""
    with connections[using].schema_editor(atomic=True) as editor:
        migration.apply(_state(using), editor)


def unapply(migration: Migration, using: str = "default") -> None:
    """Undo :func:`apply` (drop the index)."""
    with connections[using].schema_editor(atomic=True) as editor:
        migration.unapply(_state(using), editor)


def has_index(name: str = PUB_DATE_INDEX.name, using: str = "default") -> bool:
    """Whether the ``blog_entry`` table of ``using`` has an index called ``name``."""
    connection = connections[using]
    with connection.cursor() as cursor:
        return name in connection.introspection.get_constraints(cursor, "blog_entry")
