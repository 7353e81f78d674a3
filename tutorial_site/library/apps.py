from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "tutorial_site.library"
    label = "library"
