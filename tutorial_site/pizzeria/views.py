"""The pizzeria's menu, with a ``lazy`` and an ``optimized`` version (``?strategy=``): every
restaurant with its best pizza, its pizzas and each pizza's toppings."""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tutorial_site.pages.strategy import Strategy, page_view, read_query

from .models import Restaurant


def restaurants_for(strategy: Strategy) -> QuerySet[Restaurant]:
    """Restaurants by name, as the menu shows them."""
    restaurants = Restaurant.objects.order_by("name", "id")
    if strategy is Strategy.LAZY:
        # The template reads restaurant.best_pizza, restaurant.pizzas.all and, for each pizza,
        # pizza.toppings.all: a query for each.
        return restaurants
    return restaurants.select_related("best_pizza").prefetch_related("pizzas__toppings")


@page_view
def menu(request: HttpRequest) -> HttpResponse:
    query = read_query(request)
    strategy = query["strategy"]
    return render(
        request, "pizzeria/menu.html", {"restaurants": restaurants_for(strategy), "strategy": strategy}
    )
