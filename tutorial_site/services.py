"""Start a local service (daphne, JupyterLab, PgBouncer, a PostgreSQL replica, a Celery worker, nginx),
wait until it answers, and always stop it, also when the code using it fails.

    daphne = [sys.executable, "-m", "daphne", "-p", "{port}", "tutorial_site.asgi:application"]
    with Service("daphne", daphne) as server:
        urlopen(server.url("/chat/"))

``{port}`` in the arguments is replaced by a free local port (or the one given). The process runs in its
own process group, its output goes to a log file, and a service that exits or does not answer in time
raises :class:`ServiceFailed` with the end of that log. Every service still running when the Python
process exits is stopped, so no process is left behind.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

LOCALHOST = "127.0.0.1"
SITE_APPLICATION = "tutorial_site.asgi:application"  # the site: HTTP and the chat's websockets
_running: set[Service] = set()


class ServiceFailed(RuntimeError):
    """A service did not start, exited early, or did not answer in time; the message has its log."""


def free_port(host: str = LOCALHOST) -> int:
    """A TCP port on ``host`` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_answers(port: int, host: str = LOCALHOST, timeout: float = 0.5) -> bool:
    """Whether a TCP connection to ``host:port`` succeeds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def http_answers(url: str, timeout: float = 2.0) -> bool:
    """Whether ``url`` answers HTTP at all (any status code counts)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


class Service:
    """One local server process, started by :meth:`start` (or ``with``) and stopped by :meth:`stop`.

    ``ready`` decides when the service answers (default: its port accepts TCP connections).
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        port: int | None = None,
        host: str = LOCALHOST,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        ready: Callable[[Service], bool] | None = None,
        timeout: float = 30.0,
        log_path: str | os.PathLike[str] | None = None,
        stop_signal: int = signal.SIGTERM,
    ) -> None:
        self.name = name
        self.host = host
        self.port = port if port is not None else free_port(host)
        self.argv = [arg.replace("{port}", str(self.port)) for arg in argv]
        self.env = dict(os.environ if env is None else env)
        self.cwd = cwd
        self.timeout = timeout
        self.stop_signal = stop_signal
        self._ready = ready or (lambda service: port_answers(service.port, service.host))
        if log_path is None:
            handle, log_path = tempfile.mkstemp(prefix=f"{name}-{self.port}-", suffix=".log")
            os.close(handle)
        self.log_path = Path(log_path)
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, path: str = "/", scheme: str = "http") -> str:
        """``scheme://host:port/path`` of this service."""
        return f"{scheme}://{self.host}:{self.port}{path}"

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines the process wrote (stdout and stderr)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> Self:
        """Start the process and wait until it answers; :class:`ServiceFailed` if it does not."""
        if self.running:
            return self
        with open(self.log_path, "ab") as log:
            try:
                self.process = subprocess.Popen(
                    self.argv,
                    env=self.env,
                    cwd=self.cwd,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as exc:
                raise ServiceFailed(f"{self.name} could not start ({self.argv[0]}): {exc}") from exc
        _running.add(self)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.stop()
                raise ServiceFailed(
                    f"{self.name} exited with code {code} before it answered on port {self.port}.\n"
                    f"{' '.join(self.argv)}\n--- its log ({self.log_path}) ---\n{self.log_tail()}"
                )
            if self._ready(self):
                return self
            time.sleep(0.1)
        self.stop()
        raise ServiceFailed(
            f"{self.name} did not answer on {self.host}:{self.port} within {self.timeout:.0f} s.\n"
            f"{' '.join(self.argv)}\n--- its log ({self.log_path}) ---\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the whole process group: ``stop_signal``, then SIGKILL after ``timeout`` seconds."""
        _running.discard(self)
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, self.stop_signal)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout)

    def kill(self) -> None:
        """Kill the process group at once (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Service {self.name} {self.host}:{self.port} {state}>"


def site_server(
    *options: str,
    env: Mapping[str, str] | None = None,
    port: int | None = None,
    ready: Callable[[Service], bool] | None = None,
) -> Service:
    """daphne serving the site (pages, admin, chat websockets) on a free local port, as ``make serve``
    runs it. ``options``: more of daphne's command line; ``env``: the whole environment of the process
    (default: this one), with the development settings unless ``DJANGO_SETTINGS_MODULE`` says otherwise.
    """
    environment = dict(os.environ if env is None else env)
    environment.setdefault("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")
    argv = [sys.executable, "-m", "daphne", "-b", LOCALHOST, "-p", "{port}", *options, SITE_APPLICATION]
    return Service(
        "daphne", argv, port=port, env=environment, cwd=Path(__file__).resolve().parent.parent, ready=ready
    )


@atexit.register
def _stop_all() -> None:
    for service in list(_running):
        service.stop(timeout=5)
