"""The ASGI application of the tutorial site: HTTP (Django) and websockets (Channels).

    daphne tutorial_site.asgi:application          # what `make serve` runs
    python manage.py runserver                      # daphne's runserver serves it too

Websockets pass the Origin check first (an ``Origin`` not in ALLOWED_HOSTS is refused before any
consumer runs), then the session middleware, which puts the logged-in user in ``scope["user"]``.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")
# Set up Django (apps, models) before importing consumers.
http_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from tutorial_site.chat.routing import websocket_urlpatterns  # noqa: E402

if settings.DEBUG and "django.contrib.staticfiles" in settings.INSTALLED_APPS:
    # daphne serves no files: in development the application serves /static/ itself, as
    # runserver does. In production a web server (nginx) serves STATIC_ROOT.
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    http_application = ASGIStaticFilesHandler(http_application)

application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
