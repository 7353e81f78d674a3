"""The committed migrations match the models."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_makemigrations_reports_no_changes() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # --check exits 1 when a model changed without a migration
        pytest.fail(
            f"Models and migrations differ; run `python manage.py makemigrations`:\n"
            f"{out.getvalue()} (exit {exc.code})"
        )
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_every_app_has_an_initial_migration() -> None:
    out = StringIO()
    call_command("showmigrations", "blog", "library", "pizzeria", stdout=out, no_color=True)
    listed = out.getvalue()
    for app in ("blog", "library", "pizzeria"):
        assert f"{app}\n [X] 0001_initial" in listed
