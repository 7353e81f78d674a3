"""The websocket's ``auth`` frame: an access JWT (djangorestframework-simplejwt) to an active user."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError


def user_for_token(token: str) -> AbstractBaseUser | None:
    """The active user an access token was issued to, or None.

    None for anything else: a malformed, expired or wrongly signed token, one with ``alg: none``
    (only the configured algorithm is accepted), a refresh token, an unknown or inactive user.
    """
    authentication = JWTAuthentication()
    try:
        validated = authentication.get_validated_token(token.encode())
        return authentication.get_user(validated)
    except (InvalidToken, TokenError, AuthenticationFailed):
        return None
