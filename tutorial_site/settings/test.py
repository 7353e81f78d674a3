"""Settings for the test suite: the development settings plus a second database alias.

The ``other`` alias lets the profiler's tests prove that a capture covers every configured database.
"""

from .base import *  # noqa: F403
from .base import DATABASES

DATABASES["other"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- The debug toolbar and the ORM findings panel, as in development -----------------------------
# It shows only while DEBUG is on, which tests turn on where they need it (override_settings).
from .base import INSTALLED_APPS, MIDDLEWARE  # noqa: E402
from .debug_tools import DEBUG_TOOLBAR_PANELS, INTERNAL_IPS, with_toolbar  # noqa: E402, F401

INSTALLED_APPS, MIDDLEWARE = with_toolbar(INSTALLED_APPS, MIDDLEWARE)
