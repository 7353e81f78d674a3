"""HTTP URLs of the chat: its pages, the JWT views and the history API (websockets: routing.py)."""

from django.urls import path
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from . import api, views

app_name = "chat"
urlpatterns = [
    path("chat/", views.index, name="index"),
    path("chat/<str:room>/", views.room, name="room"),
    path("api/token/", TokenObtainPairView.as_view(), name="token"),
    path("api/token/refresh/", TokenRefreshView.as_view(), name="token-refresh"),
    path("api/rooms/<str:room>/messages/", api.RoomMessages.as_view(), name="messages"),
]
