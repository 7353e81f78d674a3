from django.contrib import admin

from .models import Book, City, Person


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "hometown"]
    list_select_related = ["hometown"]
    search_fields = ["name"]
    autocomplete_fields = ["hometown"]


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "author_hometown"]
    list_select_related = ["author__hometown"]
    search_fields = ["title"]
    autocomplete_fields = ["author"]

    @admin.display(description="hometown", ordering="author__hometown__name")
    def author_hometown(self, book: Book) -> str:
        return book.author.hometown.name
