"""Fixtures shared by the site's tests: the live servers' database and environment (chat/live.py),
made once per session for the chat's tests and for the nginx tests in front of the same site."""

from .chat.live import live, live_database, live_env  # noqa: F401 - the live servers' fixtures
