"""URLs of the tutorial site: for now the admin, where every model is registered."""

from django.contrib import admin
from django.urls import path

urlpatterns = [path("admin/", admin.site.urls)]
