from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "tutorial_site.blog"
    label = "blog"

    def ready(self) -> None:
        # Registering Lower as a transform makes ``values('name__lower')`` and
        # ``filter(name__lower='beatles blog')`` work, as the seed sheet uses them.
        from django.db.models import CharField, TextField
        from django.db.models.functions import Lower

        CharField.register_lookup(Lower)
        TextField.register_lookup(Lower)
