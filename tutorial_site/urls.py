"""URLs of the tutorial site: the pages, the admin, Django's login pages (``/accounts/``), the scaling lab."""

from django.apps import apps
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("tutorial_site.chat.urls")),
]
urlpatterns += [path("scaling/", include("tutorial_site.scaling.urls"))]

# The pages, each with ?strategy=lazy|optimized; the debug toolbar wherever it is installed.
urlpatterns += [
    path("", include("tutorial_site.pages.urls")),
    path("blog/", include("tutorial_site.blog.urls")),
    path("library/", include("tutorial_site.library.urls")),
    path("pizzeria/", include("tutorial_site.pizzeria.urls")),
]
if apps.is_installed("debug_toolbar"):
    urlpatterns += [path("__debug__/", include("debug_toolbar.urls"))]
