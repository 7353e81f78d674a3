"""Test helpers in the manner of django-debug-toolbar's own tests (its tests/base.py): a panel run
on one request with the toolbar's classes, and a test client that keeps each response's toolbar."""

from typing import Any

from debug_toolbar.toolbar import DebugToolbar
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import resolve

from profiler.contrib.debug_toolbar.panel import ORMFindingsPanel

PANEL_ID = ORMFindingsPanel.panel_id


def view_of(request: HttpRequest) -> HttpResponse:
    """Run the site's view for ``request.path``, as Django's URL resolver picks it."""
    match = resolve(request.path_info)
    response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    return response


def run_panel(path: str, view: Any = view_of) -> ORMFindingsPanel:
    """The ORM findings panel after one request to ``path``: instrumented, processed, stats made
    (what DebugToolbarMiddleware does for it), then reloaded from the toolbar's store."""
    request = RequestFactory().get(path)
    toolbar = DebugToolbar(request, view)
    panel: ORMFindingsPanel = toolbar.get_panel_by_id(PANEL_ID)
    panel.enable_instrumentation()
    try:
        response = panel.process_request(request)
    finally:
        panel.disable_instrumentation()
    panel.generate_stats(request, response)
    return panel


def reloaded(panel: ORMFindingsPanel) -> ORMFindingsPanel:
    """The panel as the toolbar gets it back from its store (JSON) for a later AJAX request or
    its history panel."""
    stored = DebugToolbar.fetch(panel.toolbar.request_id, PANEL_ID)
    assert stored is not None, "the toolbar did not store the request"
    fresh: ORMFindingsPanel = stored.get_panel_by_id(PANEL_ID)
    return fresh


class ToolbarClient(Client):
    """A test client whose responses carry the ``toolbar`` that handled them (or ``None``)."""

    def request(self, **request: Any) -> Any:
        created: list[DebugToolbar] = []

        def keep(sender: Any, toolbar: DebugToolbar, **kwargs: Any) -> None:
            created.append(toolbar)

        DebugToolbar._created.connect(keep)
        try:
            response = super().request(**request)
        finally:
            DebugToolbar._created.disconnect(keep)
        response.toolbar = created[0] if created else None
        return response
