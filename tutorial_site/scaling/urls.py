"""URLs of the scaling lab, under ``/scaling/``."""

from django.urls import path

from . import views

app_name = "scaling"
urlpatterns = [
    path("", views.index, name="index"),
    path("cached/", views.cached, name="cached"),
    path("cached/without-vary/", views.cached_without_vary, name="cached-without-vary"),
    path("stats/", views.stats, name="stats"),
    path("entries/<int:pk>/comments/", views.add_comment, name="add-comment"),
]
