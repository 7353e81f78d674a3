"""Context variables shared by the capture and the ORM hooks (no Django imports here).

``active_captures`` holds the captures open in the current thread or task; asgiref copies it into
``sync_to_async`` threads, so their statements are captured too, while unrelated threads see ``()``.
``current_load`` is set by the ORM hooks while a lazy relation or deferred field is being loaded,
so each statement executed meanwhile can say which ``Model.field`` caused it.
"""

from contextvars import ContextVar
from typing import Any

active_captures: ContextVar[tuple[Any, ...]] = ContextVar("profiler_active_captures", default=())
current_load: ContextVar[Any] = ContextVar("profiler_current_load", default=None)
