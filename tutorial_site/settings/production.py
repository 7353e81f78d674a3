"""Production settings: DEBUG off, secret key and hosts from the environment, HTTPS everywhere.

``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS`` must be set; ``manage.py check --deploy`` is clean.
"""

from tutorial_site.config import allowed_hosts, secret_key

from .base import *  # noqa: F403

# base.py may already have been imported in development mode (by the settings package), so the
# values that depend on DEBUG are computed again here, for production.
DEBUG = False
SECRET_KEY = secret_key(debug=False)
ALLOWED_HOSTS = allowed_hosts(debug=False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
