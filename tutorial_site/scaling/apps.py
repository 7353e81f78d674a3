from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ScalingConfig(AppConfig):
    name = "tutorial_site.scaling"
    label = "scaling"
    verbose_name = "Scaling"

    def ready(self) -> None:
        from tutorial_site.blog.models import Blog, Entry

        from .stats import on_change

        for model in (Blog, Entry):
            post_save.connect(on_change, sender=model, dispatch_uid=f"scaling-stats-save-{model.__name__}")
            post_delete.connect(
                on_change, sender=model, dispatch_uid=f"scaling-stats-delete-{model.__name__}"
            )
