"""The :class:`Query` record of one executed statement, and the user's call site."""

import inspect
import linecache
import os
import re
import sys
import sysconfig
from dataclasses import dataclass
from types import FrameType
from typing import Any

from .fingerprint import Statement, analyse


@dataclass(frozen=True, slots=True)
class Frame:
    """One frame of user code: where a statement came from."""

    file: str
    line: int
    function: str

    @property
    def code(self) -> str:
        """The source line, stripped ('' when the source is not available)."""
        return linecache.getline(self.file, self.line).strip()

    def __str__(self) -> str:
        return f"{short_path(self.file)}:{self.line} in {self.function}"


_NOTEBOOK_CELL = re.compile(r"ipykernel_\d+[/\\]\d+\.py$|^<ipython-input-[\d-]+")


def short_path(path: str) -> str:
    """``path`` for display: ``<cell>`` for a notebook cell, relative to the working directory
    when inside it, else unchanged."""
    if _NOTEBOOK_CELL.search(path):
        return "<cell>"
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _library_dirs() -> tuple[str, ...]:
    dirs = {_PACKAGE_DIR}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            dirs.add(os.path.abspath(path) + os.sep)
    for module in ("django", "asgiref"):
        mod = sys.modules.get(module)
        if mod is not None and getattr(mod, "__file__", None):
            dirs.add(os.path.dirname(os.path.dirname(os.path.abspath(mod.__file__))) + os.sep)
    return tuple(sorted(dirs))


_LIBRARY_DIRS = _library_dirs()
# Keyed by file name: a str caches its hash, while hashing a code object walks its bytecode.
_is_user_file: dict[str, bool] = {}


def _user_file(filename: str) -> bool:
    known = _is_user_file.get(filename)
    if known is None:
        if filename.startswith("<frozen") or filename.startswith("<string>"):
            known = False
        else:
            absolute = os.path.abspath(filename) if not filename.startswith("<") else filename
            known = not absolute.startswith(_LIBRARY_DIRS)
        _is_user_file[filename] = known
    return known


RawFrames = tuple[Any, ...]  # (code, line, code, line, ...): one object per statement, kept flat


def raw_user_frames(
    frame: FrameType | None,
    all_frames: bool,
    stop: FrameType | None = None,
    above: RawFrames = (),
) -> RawFrames:
    """``(code, line, code, line, ...)`` of the user frames from ``frame`` outwards: the first only,
    unless ``all_frames``; when the walk reaches ``stop``, ``above`` stands for the frames beyond it.

    The hot path of every captured statement: one flat tuple, so a long capture leaves few objects
    for the garbage collector to walk."""
    found: list[Any] = []
    is_user = _is_user_file.get
    while frame is not None:
        code = frame.f_code
        user = is_user(code.co_filename)
        if user or (user is None and _user_file(code.co_filename)):
            found.append(code)
            found.append(frame.f_lineno)
            if not all_frames:
                break
        if frame is stop:
            return (*found, *above)
        frame = frame.f_back
    return tuple(found)  # (in another thread or task, ``stop`` is not on this stack)


# Frames that can be suspended and resumed from elsewhere: what is above them changes.
_RESUMABLE = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


def stack_boundary(frame: FrameType) -> "tuple[FrameType, RawFrames] | None":
    """``frame`` and the raw user frames above it, for :func:`raw_stack_to` while ``frame`` runs.

    While a frame executes, every frame above it waits on the same call line, so what lies above
    a ``with capture():`` block is read once instead of for every statement (a notebook cell sits
    under some thirty frames of IPython and asyncio). ``None`` for generators and coroutines,
    which can be resumed from anywhere.
    """
    if frame.f_code.co_flags & _RESUMABLE:
        return None
    return frame, raw_user_frames(frame.f_back, True)


def raw_stack_to(frame: FrameType | None, boundary: "tuple[FrameType, RawFrames] | None") -> RawFrames:
    """All user frames from ``frame`` outwards, taking those above ``boundary``'s frame as known."""
    if boundary is None:
        return raw_user_frames(frame, True)
    return raw_user_frames(frame, True, *boundary)


def user_frames(frame: FrameType | None, *, all_frames: bool) -> list[Frame]:
    """The user frames from ``frame`` outwards: the first only, unless ``all_frames``."""
    return _frames(raw_user_frames(frame, all_frames))


def _frames(raw: RawFrames) -> list[Frame]:
    return [Frame(raw[i].co_filename, raw[i + 1], raw[i].co_name) for i in range(0, len(raw), 2)]


class Query:
    """One statement executed while a capture was open."""

    __slots__ = (
        "_raw_stack",
        "_stack",
        "_statement",
        "alias",
        "duration",
        "error",
        "load",
        "many",
        "params",
        "sql",
    )

    def __init__(
        self,
        sql: str,
        params: Any,
        alias: str,
        duration: float,
        many: bool,
        error: BaseException | None,
        stack: RawFrames | list[Frame],
        load: Any = None,
    ) -> None:
        self.sql = sql
        self.params = params
        self.alias = alias
        self.duration = duration
        self.many = many
        self.error = error
        self._raw_stack = stack
        self._stack: list[Frame] | None = None
        self._statement: Statement | None = None
        self.load = load

    @property
    def stack(self) -> list[Frame]:
        """The user frames, innermost first (only the first when captured with ``stacks=False``)."""
        if self._stack is None:
            raw = self._raw_stack
            self._stack = list(raw) if not raw or isinstance(raw[0], Frame) else _frames(raw)
        return self._stack

    @property
    def origin(self) -> Frame | None:
        """The first frame outside Django, the profiler and installed packages."""
        stack = self.stack
        return stack[0] if stack else None

    @property
    def statement(self) -> Statement:
        if self._statement is None:
            self._statement = analyse(self.sql)
        return self._statement

    @property
    def fingerprint(self) -> str:
        """The SQL with literals and IN-lists collapsed: equal for the statements of a loop."""
        return self.statement.fingerprint

    @property
    def kind(self) -> str:
        """``SELECT``, ``INSERT``, ``UPDATE``, ``DELETE``, ``SAVEPOINT``, ... (upper case)."""
        return self.statement.kind

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables named after FROM/JOIN/INTO/UPDATE, in order of appearance."""
        return self.statement.tables

    @property
    def is_write(self) -> bool:
        return self.statement.is_write

    def __repr__(self) -> str:
        where = f" at {self.origin}" if self.origin else ""
        return f"<Query {self.kind} {self.sql[:60]!r}{where} {self.duration * 1000:.2f} ms>"
