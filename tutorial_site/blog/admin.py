from django.contrib import admin

from .models import Author, Blog, Entry


@admin.register(Blog)
class BlogAdmin(admin.ModelAdmin):
    list_display = ["name", "tagline"]
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "email"]
    search_fields = ["name", "email"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["headline", "blog", "pub_date", "rating"]
    list_select_related = ["blog"]
    list_filter = ["pub_date"]
    search_fields = ["headline"]
    autocomplete_fields = ["blog", "authors"]
    date_hierarchy = "pub_date"
