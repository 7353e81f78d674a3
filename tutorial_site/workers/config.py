"""Celery's broker options from the environment, with errors that say what to fix."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

#: Redis keeps a delivered, unacknowledged message this many seconds before a worker may deliver it
#: again (kombu's default: one hour). It must exceed the longest task, or a task still running is
#: delivered a second time.
DEFAULT_VISIBILITY_TIMEOUT = 3600


def visibility_timeout(environ: Mapping[str, str]) -> int:
    """``CELERY_VISIBILITY_TIMEOUT`` in whole seconds (default one hour)."""
    raw = environ.get("CELERY_VISIBILITY_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_VISIBILITY_TIMEOUT
    try:
        seconds = int(raw)
    except ValueError:
        seconds = 0
    if seconds < 1:
        raise ImproperlyConfigured(
            f"CELERY_VISIBILITY_TIMEOUT={raw!r} is not a number of seconds: use a whole number of "
            f"seconds longer than your longest task (default {DEFAULT_VISIBILITY_TIMEOUT})."
        )
    return seconds


def broker_transport_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """Redis transport options: the visibility timeout, and a sweep for unacknowledged messages
    often enough that a short timeout (the lab's) really redelivers after that timeout."""
    timeout = visibility_timeout(environ)
    return {
        "visibility_timeout": timeout,
        # kombu sweeps every interval * throttle seconds (100 s by default); sweep every
        # interval seconds instead, a fifth of the timeout (between 1 and 60 s).
        "unacked_restore_interval": max(1, min(60, timeout // 5)),
        "unacked_restore_throttle": 1,
    }
