"""URLs of the tutorial site: the admin and Django's login/logout pages (``/accounts/``)."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
]

# The pages, each with ?strategy=lazy|optimized; the debug toolbar wherever it is installed.
urlpatterns += [
    path("", include("tutorial_site.pages.urls")),
    path("blog/", include("tutorial_site.blog.urls")),
    path("library/", include("tutorial_site.library.urls")),
    path("pizzeria/", include("tutorial_site.pizzeria.urls")),
]
if apps.is_installed("debug_toolbar"):
    urlpatterns += [path("__debug__/", include("debug_toolbar.urls"))]
