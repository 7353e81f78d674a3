"""``manage.py seed``: deterministic data holding the seed sheet's literals, and safe refusals."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tutorial_site.blog.models import Entry
from tutorial_site.seeding import Dataset, content_hash, generate, load, seeded_counts

from .cli import manage

BOTH = ["default", "other"]


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate("small", 0)


@pytest.fixture
def seeded(db: None, small: Dataset) -> str:
    """The default database seeded with small/0; returns its content hash."""
    load(small, progress=False)
    return content_hash()


# --- determinism ----------------------------------------------------------------------------


def test_generate_is_a_pure_function_of_size_and_seed(small: Dataset) -> None:
    assert generate("small", 0).tables == small.tables
    assert generate("small", 1).tables != small.tables


@pytest.mark.django_db(databases=BOTH)
def test_same_size_and_seed_give_identical_content_in_two_databases(small: Dataset) -> None:
    empty = content_hash("default")
    load(small, "default", progress=False)
    load(generate("small", 0), "other", progress=False)
    assert content_hash("default") != empty
    assert content_hash("default") == content_hash("other")
    assert seeded_counts("default") == seeded_counts("other")


@pytest.mark.django_db(databases=BOTH)
def test_a_different_seed_gives_different_content(small: Dataset) -> None:
    load(small, "default", progress=False)
    load(generate("small", 1), "other", progress=False)
    assert Entry.objects.using("default").count() == Entry.objects.using("other").count()
    assert content_hash("default") != content_hash("other")


def test_medium_size_is_big_enough_to_profile() -> None:
    medium = generate("medium", 0)
    assert medium.count("entry") >= 10_000
    assert medium.count("entry_authors") >= 30_000


# --- the command: bad input is refused and changes nothing ----------------------------------


BAD_ARGUMENTS = [
    (["--size", "huge"], r"--size: invalid choice: 'huge' \(choose from '?small'?, "),
    (["--seed", "-1"], r"--seed: must be a non-negative integer, got '-1'"),
    (["--seed", "abc"], r"--seed: must be a non-negative integer, got 'abc'"),
]


def test_bad_arguments_are_refused_and_change_nothing(seeded: str) -> None:
    for args, message in BAD_ARGUMENTS:  # with --flush: a refused run must not flush either
        with pytest.raises(CommandError, match=message):
            call_command("seed", *args, "--flush", verbosity=0)
        assert content_hash() == seeded, args


def test_seed_into_a_non_empty_database_is_refused_and_changes_nothing(seeded: str) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("seed", "--seed", "1", verbosity=0)
    message = str(caught.value)
    assert "already holds tutorial data" in message
    assert "Nothing was changed" in message
    assert "--flush" in message
    assert content_hash() == seeded


@pytest.mark.django_db(databases=BOTH)
def test_flush_replaces_the_data(seeded: str) -> None:
    out = StringIO()
    call_command("seed", "--flush", "--seed", "1", verbosity=1, stdout=out, stderr=StringIO())
    load(generate("small", 1), "other", progress=False)
    assert content_hash() != seeded
    assert content_hash() == content_hash("other")
    assert "Seeded small data (seed 1)" in out.getvalue()


def test_if_empty_keeps_existing_data(seeded: str) -> None:
    out = StringIO()
    call_command("seed", "--if-empty", "--seed", "1", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert content_hash() == seeded


def test_progress_bar_is_shown_unless_quiet(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed", verbosity=1, stdout=StringIO())
    bar = capsys.readouterr().err
    assert re.search(r"seeding: +\d+%.*rows", bar), bar
    call_command("seed", "--flush", verbosity=0, stdout=StringIO())
    assert capsys.readouterr().err == ""


# --- the same refusals through the real command line ----------------------------------------


def test_command_line_errors_are_clear_and_without_traceback(tmp_path: Path) -> None:
    huge = manage("seed", "--size", "huge", var_dir=tmp_path)
    assert huge.returncode == 2
    assert "invalid choice: 'huge'" in huge.stderr
    negative = manage("seed", "--seed", "-1", var_dir=tmp_path)
    assert negative.returncode == 2
    assert "must be a non-negative integer, got '-1'" in negative.stderr

    assert manage("migrate", "--verbosity", "0", var_dir=tmp_path).returncode == 0
    first = manage("seed", var_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Seeded small data (seed 0)" in first.stdout
    assert "seeding:" in first.stderr  # the tqdm progress bar

    again = manage("seed", "--seed", "1", var_dir=tmp_path)
    assert again.returncode == 1
    assert again.stderr.startswith("CommandError: The database 'default' already holds tutorial data")
    for result in (huge, negative, again):
        assert "Traceback" not in result.stderr
