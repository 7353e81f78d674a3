"""Settings for the test suite: the development settings plus a second database alias.

The ``other`` alias lets the profiler's tests prove that a capture covers every configured database.
"""

from .base import *  # noqa: F403
from .base import DATABASES

DATABASES["other"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
