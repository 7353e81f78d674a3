"""Development settings (the default): DEBUG on, SQLite under var/ unless DATABASE_URL is set."""

from .base import *  # noqa: F403
