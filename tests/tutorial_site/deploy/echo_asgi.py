"""The site's HTTP application plus an echo websocket at ``/ws/echo/``, served by daphne in the nginx tests.

It stands in for the chat's websocket until ``tutorial_site/asgi.py`` routes one: the echo answers with
the text it got and the forwarding headers the proxy added, so a test sees that nginx passed the
upgrade and said who the client was.
"""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")

from django.core.asgi import get_asgi_application

django_application = get_asgi_application()  # sets Django up before the consumer is imported

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402


class Echo(AsyncWebsocketConsumer):
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        headers = {name.decode(): value.decode() for name, value in self.scope["headers"]}
        await self.send(
            text_data=json.dumps(
                {
                    "echo": text_data,
                    "x-forwarded-for": headers.get("x-forwarded-for"),
                    "x-forwarded-proto": headers.get("x-forwarded-proto"),
                    "host": headers.get("host"),
                }
            )
        )


application = ProtocolTypeRouter(
    {"http": django_application, "websocket": URLRouter([path("ws/echo/", Echo.as_asgi())])}
)
