"""The Channels tutorial's chat consumer, the baseline of bench/chat_load.py.

As in the tutorial (channels.readthedocs.io, "Tutorial Part 3: Rewrite Chat Server as
Asynchronous"): no authentication, no storage; a message is relayed with ``group_send`` and
each receiver encodes it again. Served by ``daphne tutorial_chat:application`` (bench/ on the path).
"""

import json
import os

import django
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.conf import settings
from django.urls import re_path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")
django.setup()
# The tutorial's channel layers, with their defaults, whatever the site uses.
if os.environ.get("REDIS_URL"):
    layer = {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [os.environ["REDIS_URL"]]},
    }
else:
    layer = {"BACKEND": "channels.layers.InMemoryChannelLayer"}
settings.CHANNEL_LAYERS = {"default": layer}


class ChatConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.room_group_name = f"chat_{self.scope['url_route']['kwargs']['room_name']}"
        await self.channel_layer.group_add(self.room_group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, close_code):
        await self.channel_layer.group_discard(self.room_group_name, self.channel_name)

    async def receive(self, text_data):
        message = json.loads(text_data)["message"]
        await self.channel_layer.group_send(
            self.room_group_name, {"type": "chat.message", "message": message}
        )

    async def chat_message(self, event):
        await self.send(text_data=json.dumps({"message": event["message"]}))


application = ProtocolTypeRouter(
    {"websocket": URLRouter([re_path(r"ws/chat/(?P<room_name>\w+)/$", ChatConsumer.as_asgi())])}
)

if __name__ == "__main__":
    print("The Channels tutorial's consumer, served by bench/chat_load.py: nothing to measure on its own.")
