"""The profiler's one exception, in a module of its own so any module can raise it without
importing another's machinery (``profiler.ProfilerError`` is the public name)."""


class ProfilerError(Exception):
    """The profiler was used in a way it cannot honour; the message says how to fix it."""
