"""Settings shared by every environment of the tutorial site.

Configuration comes from the environment:

- ``DATABASE_URL``: a dj-database-url URL (``postgres://user@host:5432/name``); SQLite under ``var/``
  when unset.
- ``REDIS_URL``: a Redis URL for the cache; a local-memory cache when unset.
- ``DJANGO_SECRET_KEY``: required when ``DJANGO_DEBUG`` is off.
"""

import os
from pathlib import Path

from tutorial_site.config import allowed_hosts, cache_config, database_config, env_flag, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("TUTORIAL_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_flag("DJANGO_DEBUG", default=True)

SECRET_KEY = secret_key(debug=DEBUG)
ALLOWED_HOSTS = allowed_hosts(debug=DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "tutorial_site.blog",
    "tutorial_site.library",
    "tutorial_site.pizzeria",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tutorial_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tutorial_site" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "tutorial_site.wsgi.application"

DATABASES = {"default": database_config(os.environ.get("DATABASE_URL"), VAR_DIR / "db.sqlite3")}
CACHES = {"default": cache_config(os.environ.get("REDIS_URL"))}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tutorial_site" / "static"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work: Celery on Redis (tutorial_site/celery.py, tutorial_site/workers/) -------------
# Broker and result backend are REDIS_URL; without it a worker or a task.delay() stops with a message
# saying so. Delivery is at least once: a message is acknowledged only after its task returns.
from tutorial_site.workers.config import broker_transport_options  # noqa: E402

INSTALLED_APPS += ["tutorial_site.workers"]
# CELERY_BROKER_URL, when set, is the broker and result backend instead of REDIS_URL, which stays the
# cache: clearing the cache (FLUSHDB) then never deletes a queued task (docs/DEPLOY.md, step 3).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL", "")
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(os.environ)  # CELERY_VISIBILITY_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message to be delivered again
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a killed pool process puts its task back at once
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # each process holds one unacknowledged message, not four
CELERY_TASK_TRACK_STARTED = True  # results say STARTED while a task runs
CELERY_WORKER_SEND_TASK_EVENTS = True  # what Flower shows
CELERY_TASK_SEND_SENT_EVENT = True
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_RESULT_EXTENDED = True  # results keep the task's name, arguments and worker
# -- Scaling: the scaling lab's pages, connection pooling, a read replica (tutorial_site/scaling) --------
# DATABASE_POOL, DATABASE_CONN_MAX_AGE and DATABASE_DISABLE_SERVER_SIDE_CURSORS tune the connections
# (tutorial_site/scaling/config.py); without them the databases are configured as above.
from tutorial_site.scaling.config import (  # noqa: E402
    READ_YOUR_WRITES_MIDDLEWARE,
    ROUTER,
    replica_database,
    with_connection_options,
)

INSTALLED_APPS += ["tutorial_site.scaling"]
DATABASES["default"] = with_connection_options(DATABASES["default"], os.environ)
if os.environ.get("REPLICA_URL"):
    # A streaming replica: reads go to it, writes (and a request's reads after its writes) to default.
    DATABASES["replica"] = replica_database(os.environ["REPLICA_URL"], DATABASES["default"], os.environ)
    DATABASE_ROUTERS = [ROUTER]
    MIDDLEWARE += [READ_YOUR_WRITES_MIDDLEWARE]
# --- Pages: the home page and the lazy/optimized pages of the blog, library and pizzeria --------
INSTALLED_APPS += ["tutorial_site.pages"]

# --- Chat: Channels (ASGI, websockets), Django REST framework and JWTs ---------------------------------
import datetime  # noqa: E402

from tutorial_site.config import channel_layer_config  # noqa: E402

# daphne goes first: its runserver serves the ASGI application below (HTTP and websockets).
INSTALLED_APPS = [
    "daphne",
    *INSTALLED_APPS,
    "channels",
    "rest_framework",
    "rest_framework_simplejwt",
    "tutorial_site.chat",
]
ASGI_APPLICATION = "tutorial_site.asgi.application"
# The channel layer carries a room's frames between server processes: Redis when REDIS_URL is set,
# the in-memory layer (one process only) otherwise. Channel layers deliver at most once; the chat
# stores every message first and clients catch up from the database (see tutorial_site/chat).
CHANNEL_LAYERS = {"default": channel_layer_config(os.environ.get("REDIS_URL"))}
REST_FRAMEWORK = {
    # The JWT comes first so that an anonymous request gets 401 with `WWW-Authenticate: Bearer`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SIMPLE_JWT = {
    # The signing key is SECRET_KEY (simplejwt's default), read when simplejwt loads: production's
    # key from the environment, never one written here.
    "ACCESS_TOKEN_LIFETIME": datetime.timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": datetime.timedelta(days=1),
    "ALGORITHM": "HS256",
    "UPDATE_LAST_LOGIN": False,
}
# A daphne process serves many websockets; under ASGI Django recommends the driver's connection pool
# over persistent connections: DATABASE_POOL=N (or MIN:MAX, read in the Scaling section above) gives
# each process a PostgreSQL pool of N connections; `make serve` sets 4.
