"""Development settings (the default): DEBUG on, SQLite under var/ unless DATABASE_URL is set,
the debug toolbar (with the ORM findings panel) and django-extensions."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE
from .debug_tools import DEBUG_TOOLBAR_PANELS, INTERNAL_IPS, with_debug_tools  # noqa: F401

# New lists: base.py's are shared with the production and test settings, which stay without them.
INSTALLED_APPS, MIDDLEWARE = with_debug_tools(INSTALLED_APPS, MIDDLEWARE)
