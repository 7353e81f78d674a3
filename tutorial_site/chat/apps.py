from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "tutorial_site.chat"
    label = "chat"
    verbose_name = "Chat"
