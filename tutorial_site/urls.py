"""URLs of the tutorial site: the admin and Django's login/logout pages (``/accounts/``)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("tutorial_site.chat.urls")),
]
