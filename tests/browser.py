"""Debian's Chromium driven by Playwright for Python: the ``browser`` fixture of the browser tests.

Never a downloaded browser: Chromium comes from Debian's ``chromium`` package
(``scripts/system_packages.sh``), started with the flags this machine's closed network needs.
Playwright's sync API runs an asyncio loop in the test's thread, so a test that also uses the ORM
directly needs ``DJANGO_ALLOW_ASYNC_UNSAFE`` (set here while a browser is open).

Screenshots go to a temporary folder, or to ``SCREENSHOTS_DIR`` when it is set: ``make screenshots``
sets it to ``docs/screenshots`` to refresh the committed ones.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
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

# The development server shows django-debug-toolbar; visitors never see it. Pages opened as a visitor
# start with it folded, and screenshots leave out its handle.
HIDE_TOOLBAR = "#djDebug { display: none !important; }"


def visitor_context(browser: Any, **options: Any) -> Any:
    """A new browser context (cookies of its own; ``options``: Playwright's) with the toolbar folded."""
    context = browser.new_context(**options)
    context.add_init_script("localStorage.setItem('djdt.show', 'false')")
    return context


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


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the module's screenshots go: ``SCREENSHOTS_DIR``, else a temporary folder."""
    configured = os.environ.get("SCREENSHOTS_DIR")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
