"""On a failed lab test, a screenshot of the page as it was (``lab-failure-<test>.png``) in the
screenshots folder, named in the test's report."""

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome: Any = yield
    report = outcome.get_result()
    if not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    page, folder = funcargs.get("page"), funcargs.get("screenshots")
    if page is None or folder is None:
        return
    path = folder / f"lab-failure-{item.name}.png"
    try:
        page.screenshot(path=path)
    except Exception as exc:  # the page may be gone; the failure itself matters more
        report.sections.append(("lab screenshot", f"could not take one: {exc}"))
    else:
        report.sections.append(("lab screenshot", str(path)))
