from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "tutorial_site.pages"
    label = "pages"
    verbose_name = "Pages"
