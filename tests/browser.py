"""Debian's Chromium driven by Playwright for Python: the ``browser`` fixture of the browser tests.

Never a downloaded browser: Chromium comes from Debian's ``chromium`` package
(``scripts/system_packages.sh``), started with the flags this machine's closed network needs.
Playwright's sync API runs an asyncio loop in the test's thread, so a test that also uses the ORM
directly needs ``DJANGO_ALLOW_ASYNC_UNSAFE`` (set here while a browser is open).
"""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium for the module (skipped, or failed in CI, when missing).

    Per module, not per session: Playwright's sync API keeps an event loop running in the main
    thread while it is open, and ``async_to_sync`` (channels' tests) refuses to run beside one.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM}: run scripts/system_packages.sh (Debian's chromium)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
