"""The :class:`Query` record of one executed statement, and the user's call site."""

import contextlib
import inspect
import linecache
import os
import re
import sys
import sysconfig
from dataclasses import dataclass
from itertools import count, takewhile
from sys import _getframe
from types import CodeType, FrameType
from typing import TYPE_CHECKING, Any

from .fingerprint import Statement, analyse

if TYPE_CHECKING:
    from .nplusone import LazyLoad


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
    when inside it, else relative to the ``sys.path`` folder it was imported from (a notebook
    that runs in a subfolder of its project shows ``app/views.py``), else unchanged."""
    if _NOTEBOOK_CELL.search(path):
        return "<cell>"
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    if not relative.startswith(".."):
        return relative
    absolute = os.path.abspath(path)
    folders = [os.path.abspath(entry) for entry in sys.path if entry]
    for folder in sorted(folders, key=len, reverse=True):
        if absolute.startswith(folder + os.sep):
            return os.path.relpath(absolute, folder)
    return path


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _library_dirs() -> tuple[str, ...]:
    dirs = {_PACKAGE_DIR}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            dirs.add(os.path.abspath(path) + os.sep)
    for module in ("django", "asgiref"):
        mod = sys.modules.get(module)
        path = mod.__file__ if mod is not None else None
        if path:
            dirs.add(os.path.dirname(os.path.dirname(os.path.abspath(path))) + os.sep)
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


try:
    from sys import _getframemodulename as _module_at  # type: ignore[attr-defined]  # Python 3.12+
except ImportError:  # Python 3.11: every frame is read
    _module_at = None

# Module name -> whether all its functions are library code, for frames skipped unread.
_library_modules: dict[str | None, bool] = {}


def _library_module(name: str | None) -> bool:
    known = _library_modules.get(name)
    if known is None:
        module = sys.modules.get(name) if name and name != "__main__" else None
        path = getattr(module, "__file__", None)
        known = _library_modules[name] = isinstance(path, str) and bool(path) and not _user_file(path)
    return known


RawFrames = tuple[Any, ...]  # (code, lasti, code, lasti, ...): one object per statement, kept flat


def raw_user_frames(
    frame: FrameType | None,
    all_frames: bool,
    stop: FrameType | None = None,
    above: RawFrames = (),
) -> RawFrames:
    """``(code, lasti, code, lasti, ...)`` of the user frames from ``frame`` outwards: the first only,
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
            found.append(frame.f_lasti)  # its line is looked up only if the stack is read
            if not all_frames:
                break
        if frame is stop:
            return (*found, *above)
        frame = frame.f_back
    return tuple(found)  # (in another thread or task, ``stop`` is not on this stack)


Boundary = tuple[FrameType | None, RawFrames]  # a ``stop`` frame and the raw frames ``above`` it
NO_BOUNDARY: Boundary = (None, ())

# id(anchor) -> (anchor, offset of the first user frame, module names of the two frames below it)
_anchored: dict[int, tuple[Any, int, str | None, str | None]] = {}
_ANCHORS_KEPT = 1024


def caller_user_frames(
    depth: int,
    all_frames: bool,
    boundary: Boundary = NO_BOUNDARY,
    anchor: object = None,
) -> RawFrames:
    """:func:`raw_user_frames` from the frame ``depth`` levels above the caller.

    The library frames at the bottom of the stack (the dozen Django frames under a statement) are
    passed over by module name: on Python 3.12+ ``sys._getframemodulename`` reads it without
    creating the frame object that walking ``f_back`` creates for every frame. The first frame
    outside a library module, and all beyond it, get the exact check by file name. (A user
    function that claims a library module's name, as ``functools.wraps`` of a Django function
    would, is taken for library code.) ``boundary`` is a ``(stop, above)`` of
    :func:`stack_boundary`: if ``stop`` is passed over, ``above`` stands for the frames beyond it.

    ``anchor`` is what the statement is loading (a lazy load, see :mod:`profiler.hooks`): the
    statements of one lazy load run through the same Django frames each time, so the offset of
    the first user frame found for it is kept. The next statement for the same anchor checks
    three frames (the frame at that offset is outside a library module, the two below it are in
    the modules seen before) instead of reading every one; when the check fails, every frame is
    read again and the offset relearned. (User code that replaced one of those Django frames
    without changing their number, for the same load, would go unseen.)
    """
    depth += 1  # this function's own frame
    if _module_at is not None:
        if anchor is not None:
            learned = _anchored.get(id(anchor))
            if learned is not None and learned[0] is anchor:
                at = depth + learned[1]
                name = _module_at(at)  # None past the end of the stack
                if (
                    name is not None
                    and _library_modules.get(name) is False
                    and _module_at(at - 1) == learned[2]
                    and _module_at(at - 2) == learned[3]
                ):
                    return raw_user_frames(_getframe(at), all_frames, *boundary)
        start = depth
        known = _library_modules.get
        while True:
            # The walk over known library modules runs in C: no bytecode per frame.
            depth += len(list(takewhile(known, map(_module_at, count(depth)))))
            name = _module_at(depth)  # not known as a library module: user code, or new
            if known(name) is not None or not _library_module(name):
                break
            depth += 1
        if anchor is not None and name is not None and depth - start >= 2:
            if len(_anchored) >= _ANCHORS_KEPT:
                _anchored.clear()
            _anchored[id(anchor)] = (anchor, depth - start, _module_at(depth - 1), _module_at(depth - 2))
    try:
        frame = _getframe(depth)
    except ValueError:  # every frame was library code
        return ()
    return raw_user_frames(frame, all_frames, *boundary)


# Frames that can be suspended and resumed from elsewhere: what is above them changes.
_RESUMABLE = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR


_CONTEXT_MANAGER_ENTER = contextlib._GeneratorContextManager.__enter__.__code__


def stack_boundary(frame: FrameType) -> Boundary:
    """``(frame, the raw user frames above it)``, a ``stop`` and ``above`` for
    :func:`raw_user_frames` while ``frame`` runs.

    While a frame executes, every frame above it waits on the same call line, so what lies above
    a ``with capture():`` block is read once instead of for every statement (a notebook cell sits
    under some thirty frames of IPython and asyncio). A capture opened inside a
    ``@contextmanager`` generator stands for the ``with`` statement's frame, where the block runs.
    Generators and coroutines otherwise can be resumed from anywhere: :data:`NO_BOUNDARY`.
    """
    if frame.f_code.co_flags & _RESUMABLE:
        enter = frame.f_back
        if enter is None or enter.f_code is not _CONTEXT_MANAGER_ENTER:
            return NO_BOUNDARY
        block = enter.f_back
        if block is None or block.f_code.co_flags & _RESUMABLE:
            return NO_BOUNDARY
        frame = block
    return frame, raw_user_frames(frame.f_back, True)


def user_frames(depth: int, *, all_frames: bool) -> list[Frame]:
    """The user frames from ``depth`` levels above the caller outwards: the first only, unless
    ``all_frames``."""
    return _frames(caller_user_frames(depth + 1, all_frames))


def _frames(raw: RawFrames) -> list[Frame]:
    return [
        Frame(raw[i].co_filename, _line(raw[i], raw[i + 1]), raw[i].co_name) for i in range(0, len(raw), 2)
    ]


# id(code) -> (code, {lasti: line}). By identity: hashing a code object hashes its constants, and a
# module's constants hold the code of every function in it. The entry keeps its code object alive,
# so the id cannot be reused while it is there.
_lines: dict[int, tuple[CodeType, dict[int, int]]] = {}
_LINES_KEPT = 4096


def _line(code: CodeType, lasti: int) -> int:
    """The line of the instruction at byte offset ``lasti``, as ``frame.f_lineno`` gives it.

    Capturing keeps the offset, which costs nothing to read, and leaves this lookup (a scan of the
    line table) to whoever reads the stack."""
    entry = _lines.get(id(code))
    if entry is None or entry[0] is not code:
        if len(_lines) >= _LINES_KEPT:
            _lines.clear()
        entry = _lines[id(code)] = (code, {})
    known = entry[1]
    line = known.get(lasti)
    if line is None:
        line = known[lasti] = _scan_line(code, lasti)
    return line


def _scan_line(code: CodeType, lasti: int) -> int:
    for start, end, line in code.co_lines():
        if start <= lasti < end:
            return line if line is not None else code.co_firstlineno
    return code.co_firstlineno


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
        load: "LazyLoad | None" = None,
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

    @staticmethod
    def from_entry(entry: list[Any]) -> "Query":
        """The record for one entry the capture's execute wrapper appended (made once, shared)."""
        query: Query | None = entry[-1]
        if query is None:
            query = entry[-1] = Query(*entry[:-1])
        return query

    @property
    def stack(self) -> list[Frame]:
        """The user frames, innermost first (only the first when captured with ``stacks=False``)."""
        if self._stack is None:
            raw = self._raw_stack
            if isinstance(raw, tuple) and raw and not isinstance(raw[0], Frame):
                self._stack = _frames(raw)
            else:
                self._stack = list(raw)
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
