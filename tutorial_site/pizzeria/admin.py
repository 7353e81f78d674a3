from django.contrib import admin

from .models import Pizza, Restaurant, Topping


@admin.register(Topping)
class ToppingAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Pizza)
class PizzaAdmin(admin.ModelAdmin):
    list_display = ["name", "vegetarian"]
    list_filter = ["vegetarian"]
    search_fields = ["name"]
    autocomplete_fields = ["toppings"]


@admin.register(Restaurant)
class RestaurantAdmin(admin.ModelAdmin):
    list_display = ["name", "best_pizza"]
    list_select_related = ["best_pizza"]
    search_fields = ["name"]
    autocomplete_fields = ["pizzas", "best_pizza"]
