from django.urls import path

from . import views

app_name = "blog"
urlpatterns = [
    path("", views.blog_index, name="index"),
    path("<int:pk>/", views.blog_detail, name="detail"),
    path("entries/", views.entry_list, name="entries"),
    path("authors/<int:pk>/", views.author_detail, name="author"),
]
