"""Websocket URLs of the chat (the ASGI application routes ``websocket`` connections here)."""

from django.urls import path

from .consumer import ChatConsumer

websocket_urlpatterns = [
    # <path:...> so that any name, even with a slash, reaches the consumer and gets its 4404.
    path("ws/chat/<path:room>/", ChatConsumer.as_asgi()),
]
