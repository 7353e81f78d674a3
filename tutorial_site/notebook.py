"""The one call every notebook's first cell makes: :func:`setup`."""

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


class NotReady(RuntimeError):
    """The database is not migrated or not seeded; the message gives the command to run."""


def setup(settings: str = "tutorial_site.settings", *, require_data: bool = True) -> str:
    """Bootstrap Django for a notebook and check that the database is ready.

    Jupyter runs every cell inside an already-running asyncio event loop. Django refuses to run
    ORM queries from a thread that has a running event loop (it raises
    ``SynchronousOnlyOperation``, because blocking I/O would stall other coroutines). A notebook
    executes one cell at a time and nothing else competes for that loop, so we set
    ``DJANGO_ALLOW_ASYNC_UNSAFE`` to let learners write ordinary synchronous ORM code.

    Returns a one-line description of the database in use. Raises :class:`NotReady` with the exact
    ``manage.py`` or ``make`` command to run when migrations are missing or no data is seeded.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))

    import django

    django.setup()

    from tutorial_site.dbcheck import (
        DatabaseUnavailable,
        describe,
        require_database,
        unapplied_migrations,
    )

    try:
        require_database()
    except DatabaseUnavailable as exc:
        raise NotReady(str(exc)) from None
    pending = unapplied_migrations()
    if pending:
        raise NotReady(
            f"The database has {len(pending)} unapplied migrations (first: {pending[0]}). "
            "Run `python manage.py migrate` (or `make lab`) from the project folder, then re-run this cell."
        )
    if require_data:
        from tutorial_site.seeding import seeded_counts

        if not any(seeded_counts().values()):
            raise NotReady(
                "The database is migrated but empty. Run `python manage.py seed` (or `make lab`) "
                "from the project folder, then re-run this cell."
            )
    return f"Django {django.get_version()} ready on the {describe('default')}."
