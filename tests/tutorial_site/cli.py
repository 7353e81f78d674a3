"""Run ``manage.py`` (or Python) in a subprocess, isolated from the test run's database settings."""

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# Variables of the test run that must not leak into a subprocess unless a test sets them.
ISOLATED = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set while a browser test's Chromium is open (tests/browser.py)
)


def environment(var_dir: Path, **overrides: str | None) -> dict[str, str]:
    """The current environment minus database/settings variables, with ``TUTORIAL_VAR_DIR``."""
    env = {k: v for k, v in os.environ.items() if k not in ISOLATED}
    env["TUTORIAL_VAR_DIR"] = str(var_dir)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(
    args: list[str], var_dir: Path, *, stdin: str | None = None, **overrides: str | None
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` from the repository root; never raises on a non-zero exit code."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=environment(var_dir, **overrides),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def manage(*args: str, var_dir: Path, **overrides: str | None) -> subprocess.CompletedProcess[str]:
    """``python manage.py ARGS`` against the SQLite database in ``var_dir`` (unless overridden)."""
    return run(["manage.py", *args], var_dir, **overrides)
