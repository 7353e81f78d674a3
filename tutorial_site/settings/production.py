"""Production settings: DEBUG off, secret key and hosts from the environment, HTTPS everywhere.

``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS`` must be set; ``manage.py check --deploy`` is clean.
"""

import os

os.environ["DJANGO_DEBUG"] = "0"

from .base import *  # noqa: E402, F403

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
