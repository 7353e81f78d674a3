"""Pizzas with many toppings, restaurants with many pizzas and one best pizza."""

from django.db import models


class Topping(models.Model):
    name = models.CharField(max_length=30)

    def __str__(self) -> str:
        return self.name


class Pizza(models.Model):
    name = models.CharField(max_length=50)
    toppings = models.ManyToManyField(Topping)
    vegetarian = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


class Restaurant(models.Model):
    name = models.CharField(max_length=100)
    pizzas = models.ManyToManyField(Pizza, related_name="restaurants")
    best_pizza = models.ForeignKey(
        Pizza, on_delete=models.SET_NULL, null=True, blank=True, related_name="championed_by"
    )

    def __str__(self) -> str:
        return self.name
