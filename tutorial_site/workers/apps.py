from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "tutorial_site.workers"
    label = "workers"
    verbose_name = "Background work"
