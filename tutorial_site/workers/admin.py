from django.contrib import admin

from .models import BlogStatistics


@admin.register(BlogStatistics)
class BlogStatisticsAdmin(admin.ModelAdmin):
    """Read-only: the statistics tasks write these rows."""

    list_display = ["blog", "entries", "comments", "pingbacks", "mean_rating", "latest_entry", "computed_at"]
    list_select_related = ["blog"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
