"""Query snapshots: record the SQL a block runs in a file next to the test, fail when it changes.

    def test_entry_list(client):
        with profiler.snapshot("entry list"):
            client.get("/blog/entries/")

The first run writes ``test_pages.queries.yml`` next to the test file: for each snapshot, the
fingerprint of every statement (literals and parameters as ``?``), grouped by database alias in
alphabetical order, in execution order. Later runs compare and fail with a diff when a statement
was added, removed or changed; ``pytest --profiler-update-snapshots`` (or
``PROFILER_UPDATE_SNAPSHOTS=1``) rewrites the snapshot instead. Review the file like code.

The file records the vendor of the default database it was written on (``vendor: sqlite``). On
another database, whose SQL may differ, the snapshots that differ go to a file of that vendor
beside it (``test_pages.postgresql.queries.yml``), holding only those; the others are checked
against the shared file. A file that cannot be read is reported with its name and how to fix it, and is never
overwritten.
"""

import difflib
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from . import ProfilerError  # bound by the package before this module is imported
from .capture import Capture, capture
from .records import short_path

SUFFIX = ".queries.yml"
UPDATE_ENV = "PROFILER_UPDATE_SNAPSHOTS"
UPDATE_OPTION = "--profiler-update-snapshots"
TRANSACTION_NAME = re.compile(r'"s\d+_x\d+"')  # Django's savepoint names: thread and counter
HEADER = """\
# Query snapshots written by profiler.snapshot(): for each snapshot, the fingerprint of every
# statement it ran (parameters left out), per database alias. Review changes like code.
# Rewrite with: pytest {option}
"""

Statements = dict[str, list[str]]  # alias -> fingerprints, in execution order


class SnapshotError(ProfilerError):
    """A snapshot file cannot be read, or a snapshot was used wrongly; the message says the fix."""


class SnapshotMismatch(AssertionError):
    """The block ran other statements than its snapshot records; the message has the diff."""


# What snapshots wrote during this process: (file, snapshot name, "written", "rewritten", "removed").
written: list[tuple[Path, str, str]] = []
_update_requested = False  # --profiler-update-snapshots, see request_updates()


def request_updates(update: bool = True) -> None:
    """Rewrite changed snapshots instead of failing, where ``update`` is not given (the pytest
    option ``--profiler-update-snapshots`` calls this)."""
    global _update_requested
    _update_requested = update


def fingerprints(queries: Iterable[Any]) -> Statements:
    """The statements' fingerprints per alias, aliases sorted, savepoint names made stable."""
    by_alias: Statements = {}
    for query in queries:
        text = TRANSACTION_NAME.sub('"s?"', query.fingerprint)
        by_alias.setdefault(query.alias, []).append(text)
    return {alias: by_alias[alias] for alias in sorted(by_alias)}


# -- the record files ------------------------------------------------------------------------
@dataclass
class RecordFile:
    """One ``*.queries.yml`` file: the vendor it was written on and its snapshots by name."""

    path: Path
    vendor: str
    snapshots: dict[str, Statements]

    @classmethod
    def read(cls, path: Path) -> "RecordFile | None":
        """The file at ``path`` (``None`` if there is none); :class:`SnapshotError` if it is broken."""
        import yaml

        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise _broken(path, f"it is not valid YAML ({_yaml_problem(exc)})") from None
        if not isinstance(data, dict) or set(data) != {"vendor", "snapshots"}:
            raise _broken(path, "it must have exactly two keys, 'vendor' and 'snapshots'")
        vendor, snapshots = data["vendor"], data["snapshots"]
        if not isinstance(vendor, str) or not vendor:
            raise _broken(path, f"'vendor' must name a database vendor like sqlite, not {vendor!r}")
        if snapshots is None:
            snapshots = {}
        if not isinstance(snapshots, dict):
            raise _broken(path, "'snapshots' must map each snapshot name to its statements")
        parsed = {str(name): _statements(path, str(name), value) for name, value in snapshots.items()}
        return cls(path, vendor, parsed)

    def write(self) -> None:
        """Write the file atomically, snapshots sorted by name; remove it when it has none."""
        if not self.snapshots:
            self.path.unlink(missing_ok=True)
            return
        import yaml

        body = yaml.safe_dump(
            {"vendor": self.vendor, "snapshots": dict(sorted(self.snapshots.items()))},
            sort_keys=False,
            allow_unicode=True,
            width=1 << 16,
            default_flow_style=False,
        )
        text = HEADER.format(option=UPDATE_OPTION) + body
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".", suffix=SUFFIX)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _yaml_problem(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"line {mark.line + 1}: {problem}" if mark is not None else str(problem)


def _broken(path: Path, why: str) -> SnapshotError:
    return SnapshotError(
        f"The query snapshot file {path} cannot be read: {why}. Fix it by hand (see the format at "
        f"the top of a file the profiler wrote), or delete it and run pytest {UPDATE_OPTION} "
        "to record every snapshot in it again."
    )


def _statements(path: Path, name: str, value: Any) -> Statements:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(alias, str) and isinstance(fps, list) and all(isinstance(f, str) for f in fps)
        for alias, fps in value.items()
    ):
        raise _broken(
            path,
            f"snapshot {name!r} must map each database alias to a list of SQL fingerprints "
            "(one string per statement)",
        )
    return {alias: list(fps) for alias, fps in value.items()}


def record_paths(beside: Path, vendor: str) -> tuple[Path, Path]:
    """The shared record file for the file ``beside`` (a test module), and ``vendor``'s own."""
    stem = beside.name.removesuffix(".py")
    return beside.with_name(stem + SUFFIX), beside.with_name(f"{stem}.{vendor}{SUFFIX}")


# -- comparing -------------------------------------------------------------------------------
def _lines(statements: Statements) -> list[str]:
    return [f"{alias}: {fingerprint}" for alias, fps in statements.items() for fingerprint in fps]


def diff(recorded: Statements, current: Statements) -> str:
    """A unified diff of the recorded and current statements, one ``alias: SQL`` line each."""
    lines = difflib.unified_diff(_lines(recorded), _lines(current), "recorded", "now", lineterm="", n=2)
    return "\n".join(lines)


def _count(statements: Statements) -> str:
    total = sum(len(fps) for fps in statements.values())
    return f"{total} statement{'' if total == 1 else 's'}"


def check(
    name: str, current: Statements, beside: Path, vendor: str, *, update: bool
) -> tuple[Path, str] | None:
    """Compare ``current`` with snapshot ``name`` of the files for ``beside``; write it when it
    is new or ``update`` is set. Returns ``(file, "written"|"rewritten"|"removed")`` when a file
    changed (removed: a vendor's entry that became the same as the shared one),
    ``None`` when the snapshot matched; raises :class:`SnapshotMismatch` with the diff."""
    __tracebackhide__ = True  # pytest shows the test's line and the diff
    shared_path, own_path = record_paths(beside, vendor)
    shared = RecordFile.read(shared_path)
    if shared is None or shared.vendor == vendor:
        target = shared or RecordFile(shared_path, vendor, {})
        expected = target.snapshots.get(name)
        reference = None
    else:
        own = RecordFile.read(own_path) or RecordFile(own_path, vendor, {})
        reference = shared.snapshots.get(name)
        expected = own.snapshots.get(name, reference)
        target = own
    if expected == current:
        if update and reference == current and name in target.snapshots:
            del target.snapshots[name]  # this vendor's entry is the same as the shared one again
            target.write()
            return target.path, "removed"
        return None
    if expected is not None and not update:
        compared = target.path if name in target.snapshots else shared_path
        raise SnapshotMismatch(_mismatch_message(name, compared, expected, current, vendor, shared))
    action = "rewritten" if name in target.snapshots else "written"
    if reference is not None and reference == current:
        target.snapshots.pop(name, None)  # the same as the shared file: no vendor entry needed
    else:
        target.snapshots[name] = current
    target.write()
    return target.path, action


def _mismatch_message(
    name: str,
    path: Path,
    expected: Statements,
    current: Statements,
    vendor: str,
    shared: RecordFile | None,
) -> str:
    lines = [
        f"Query snapshot {name!r} changed: {_count(expected)} recorded in {path}, {_count(current)} now.",
        diff(expected, current),
        f"If the change is intended, run pytest {UPDATE_OPTION} to record it, and commit the file.",
    ]
    if shared is not None and shared.vendor != vendor and path == shared.path:
        own = shared.path.name.removesuffix(SUFFIX) + f".{vendor}{SUFFIX}"
        lines.append(
            f"(The file was recorded on {shared.vendor} and this run uses {vendor}: if only the "
            f"database's SQL differs, the update writes it to {own}.)"
        )
    return "\n".join(lines)


# -- the context manager ---------------------------------------------------------------------
def _default_vendor() -> str:
    from django.db import DEFAULT_DB_ALIAS, connections

    return str(connections[DEFAULT_DB_ALIAS].vendor)


def _update_default() -> bool:
    value = os.environ.get(UPDATE_ENV, "").strip().lower()
    return _update_requested or value in {"1", "true", "yes", "on"}


class Snapshot:
    """The context manager :func:`snapshot` returns; yields the open :class:`Capture`."""

    def __init__(
        self,
        name: str,
        beside: Path,
        *,
        update: bool | None = None,
        using: str | Iterable[str] | None = None,
    ) -> None:
        if not isinstance(name, str) or not name.strip():
            raise SnapshotError(f"A snapshot needs a name (a non-empty string), got {name!r}.")
        self.name = name
        self.beside = beside
        self.update = update
        self._capture = capture(using, stacks=False)

    def __enter__(self) -> Capture:
        return self._capture.__enter__()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        __tracebackhide__ = True  # pytest shows the test's line
        self._capture.__exit__(exc_type, exc, traceback)
        if exc_type is not None:
            return  # the block failed: its statements are not the ones to record
        update = _update_default() if self.update is None else self.update
        changed = check(self.name, fingerprints(self._capture), self.beside, _default_vendor(), update=update)
        if changed is not None:
            written.append((changed[0], self.name, changed[1]))


def snapshot(
    name: str,
    *,
    beside: str | os.PathLike[str] | None = None,
    update: bool | None = None,
    using: str | Iterable[str] | None = None,
) -> Snapshot:
    """Snapshot the statements of the ``with`` block as ``name``, in the record file next to the
    calling file (or to ``beside``). See the module's documentation for the files and options."""
    if beside is None:
        beside = sys._getframe(1).f_code.co_filename
    path = Path(beside)
    if path.suffix != ".py" or short_path(str(path)) == "<cell>":
        raise SnapshotError(
            f"profiler.snapshot({name!r}) was called from {beside}, which is not a file: pass "
            "beside='path/to/test_module.py' to say where the record file goes."
        )
    return Snapshot(name, path.resolve(), update=update, using=using)
