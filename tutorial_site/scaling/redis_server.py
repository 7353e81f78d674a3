"""A private Redis server for the lab: Debian's ``redis-server`` on a free local port, nothing saved.

with redis_server(settings.VAR_DIR / "scaling") as server:
    url = redis_url(server)       # redis://127.0.0.1:PORT/0: the cache can be cleared freely
"""

import os
import shutil
from pathlib import Path

from tutorial_site.services import LOCALHOST, Service


def redis_server_program() -> str | None:
    """The path of ``redis-server`` (``REDIS_SERVER`` overrides), ``None`` when it is not installed."""
    return os.environ.get("REDIS_SERVER") or shutil.which("redis-server")


def redis_server(work_dir: str | os.PathLike[str]) -> Service:
    """A :class:`Service` running a fresh, unsaved Redis on ``127.0.0.1`` (call ``start()`` or ``with``)."""
    program = redis_server_program()
    if program is None:
        raise FileNotFoundError(
            "redis-server is not installed: `apt-get install redis-server` (Debian/Ubuntu) or "
            "`brew install redis`, or set REDIS_SERVER to its path."
        )
    directory = Path(work_dir)
    directory.mkdir(parents=True, exist_ok=True)
    argv = [program, "--bind", LOCALHOST, "--port", "{port}", "--save", "", "--appendonly", "no"]
    argv += ["--dir", str(directory), "--protected-mode", "yes"]
    return Service("redis", argv, log_path=directory / "redis.log")


def redis_url(server: Service, db: int = 0) -> str:
    """``redis://127.0.0.1:PORT/DB`` of a started :func:`redis_server`."""
    return f"redis://{server.host}:{server.port}/{db}"
