"""What development adds to the settings: django-debug-toolbar, with the profiler's "ORM findings"
panel next to its SQL panel, and django-extensions (``shell_plus``, ``graph_models``).

``tutorial_site.settings`` (development) applies :func:`with_debug_tools`; the test settings apply
:func:`with_toolbar` (django-extensions is not part of the profiler's Django 5.2 test leg);
production applies neither. Nothing here imports the packages: settings only name them.
"""

TOOLBAR_APP = "debug_toolbar"
TOOLBAR_MIDDLEWARE = "debug_toolbar.middleware.DebugToolbarMiddleware"
EXTENSIONS_APP = "django_extensions"
ORM_FINDINGS_PANEL = "profiler.contrib.debug_toolbar.panel.ORMFindingsPanel"

# The toolbar's own panels, with ours right after the SQL panel it complements.
DEBUG_TOOLBAR_PANELS = [
    "debug_toolbar.panels.history.HistoryPanel",
    "debug_toolbar.panels.versions.VersionsPanel",
    "debug_toolbar.panels.timer.TimerPanel",
    "debug_toolbar.panels.settings.SettingsPanel",
    "debug_toolbar.panels.headers.HeadersPanel",
    "debug_toolbar.panels.request.RequestPanel",
    "debug_toolbar.panels.sql.SQLPanel",
    ORM_FINDINGS_PANEL,
    "debug_toolbar.panels.staticfiles.StaticFilesPanel",
    "debug_toolbar.panels.templates.TemplatesPanel",
    "debug_toolbar.panels.alerts.AlertsPanel",
    "debug_toolbar.panels.cache.CachePanel",
    "debug_toolbar.panels.signals.SignalsPanel",
    "debug_toolbar.panels.redirects.RedirectsPanel",
    "debug_toolbar.panels.profiling.ProfilingPanel",
]
# The toolbar shows for requests from these addresses, and only while DEBUG is on.
INTERNAL_IPS = ["127.0.0.1", "::1"]


def with_toolbar(installed_apps: list[str], middleware: list[str]) -> tuple[list[str], list[str]]:
    """New lists (the ones given are left alone) with the toolbar's app and its middleware first."""
    return [*installed_apps, TOOLBAR_APP], [TOOLBAR_MIDDLEWARE, *middleware]


def with_debug_tools(installed_apps: list[str], middleware: list[str]) -> tuple[list[str], list[str]]:
    """:func:`with_toolbar`, and django-extensions."""
    apps, middleware = with_toolbar(installed_apps, middleware)
    return [*apps, EXTENSIONS_APP], middleware
