from django.apps import AppConfig


class PizzeriaConfig(AppConfig):
    name = "tutorial_site.pizzeria"
    label = "pizzeria"
