"""nginx in front of daphne, as the lab runs it: collectstatic's files from nginx, the rest proxied.

The configuration is ``deploy/nginx/site.conf`` (the part a production nginx includes) inside
``deploy/nginx/nginx.conf`` (the lab's own main file). :class:`Nginx` renders both into a runtime folder
and runs a private nginx in the foreground with its pid, logs and temporary files there: never the
system's nginx, its files or its port 80.

    python -m tutorial_site.nginx              # make proxy: collectstatic, daphne, nginx; Ctrl-C stops
    python -m tutorial_site.nginx --print-site --listen 80 --upstream unix:/run/daphne.sock \\
        --static-root /srv/tutorial_site/static           # the server block for a production nginx
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import shutil
import signal
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from tutorial_site.notebook import REPO_ROOT
from tutorial_site.services import SITE_APPLICATION, Service, ServiceFailed, site_server

TEMPLATES = REPO_ROOT / "deploy" / "nginx"
NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


@dataclass(frozen=True)
class Site:
    """Where nginx listens, where daphne is, and where collectstatic put the files."""

    listen: str  # "127.0.0.1:8080", "80", "[::]:443 ssl" ...
    upstream: str  # daphne: "127.0.0.1:8001" or "unix:/run/daphne.sock"
    static_root: Path
    static_url: str = "/static/"
    server_name: str = "_"


def _render(template: str, context: Mapping[str, object]) -> str:
    from django.template import Context, Engine

    engine = Engine(autoescape=False)
    return engine.from_string((TEMPLATES / template).read_text()).render(Context(dict(context)))


def render_site(site: Site) -> str:
    """``deploy/nginx/site.conf`` for ``site``: the upstream, the static location and the proxy."""
    static_url = "/" + site.static_url.strip("/") + "/"
    return _render(
        "site.conf",
        {
            "listen": site.listen,
            "upstream": site.upstream,
            "static_root": str(site.static_root).rstrip("/"),
            "static_url": static_url,
            "server_name": site.server_name,
        },
    )


def render_main(runtime_dir: Path, site_conf: Path, *, user: str | None = None) -> str:
    """``deploy/nginx/nginx.conf``: a foreground nginx whose files all live in ``runtime_dir``."""
    if not MIME_TYPES.is_file():
        raise ServiceFailed(f"No {MIME_TYPES}: install Debian's nginx (scripts/system_packages.sh).")
    return _render(
        "nginx.conf",
        {"runtime_dir": runtime_dir, "site_conf": site_conf, "mime_types": MIME_TYPES, "user": user},
    )


def _worker_user() -> str | None:
    """Run as root, nginx's workers would become ``nobody`` and not read the lab's files: keep root's."""
    if os.geteuid() != 0:
        return None  # nginx ignores ``user`` unless its master is root
    entry = pwd.getpwuid(os.geteuid())
    return entry.pw_name


class Nginx(Service):
    """A private nginx on a free local port in front of ``upstream``, serving ``static_root`` itself."""

    def __init__(
        self,
        *,
        upstream: str,
        static_root: str | os.PathLike[str],
        static_url: str = "/static/",
        port: int | None = None,
        runtime_dir: str | os.PathLike[str] | None = None,
        timeout: float = 15.0,
    ) -> None:
        if not os.access(NGINX, os.X_OK):
            raise ServiceFailed(f"No nginx at {NGINX}: install Debian's nginx (scripts/system_packages.sh).")
        static = Path(static_root)
        if not static.is_dir():
            raise ServiceFailed(
                f"Static root {static} does not exist: run `python manage.py collectstatic` first "
                "(STATIC_ROOT is var/static)."
            )
        self._made_runtime_dir = runtime_dir is None
        self._answered = False
        self.runtime_dir = Path(runtime_dir or tempfile.mkdtemp(prefix="lab-nginx-"))
        for folder in ("logs", "temp"):
            (self.runtime_dir / folder).mkdir(parents=True, exist_ok=True)
        super().__init__(
            "nginx",
            [NGINX, "-p", str(self.runtime_dir), "-c", str(self.runtime_dir / "nginx.conf"), "-e", "stderr"],
            port=port,
            timeout=timeout,
            log_path=self.runtime_dir / "logs" / "nginx.out",
        )
        self.site = Site(
            listen=f"{self.host}:{self.port}", upstream=upstream, static_root=static, static_url=static_url
        )
        site_conf = self.runtime_dir / "site.conf"
        site_conf.write_text(render_site(self.site))
        (self.runtime_dir / "nginx.conf").write_text(
            render_main(self.runtime_dir, site_conf, user=_worker_user())
        )

    def start(self) -> Nginx:
        super().start()
        self._answered = True
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop nginx; a runtime folder it made up goes too, unless nginx failed (its logs are there)."""
        super().stop(timeout)
        if self._made_runtime_dir and self._answered:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)

    @property
    def error_log(self) -> Path:
        return self.runtime_dir / "logs" / "error.log"

    @property
    def access_log(self) -> Path:
        return self.runtime_dir / "logs" / "access.log"

    def log_tail(self, lines: int = 40) -> str:
        """nginx's own output and the end of its error log."""
        try:
            errors = self.error_log.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            errors = []
        return "\n".join([super().log_tail(lines), *errors])


def daphne(
    *,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    access_log: str | os.PathLike[str] | None = None,
) -> Service:
    """:func:`~tutorial_site.services.site_server` behind a proxy: daphne takes the client's address and
    scheme from the X-Forwarded-For and X-Forwarded-Proto that nginx writes."""
    options = ["--proxy-headers"]
    if access_log is not None:
        options += ["--access-log", str(access_log)]
    return site_server(*options, port=port, env=env)


def collectstatic() -> Path:
    """Run ``collectstatic`` for the current settings; returns ``STATIC_ROOT``."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    return Path(settings.STATIC_ROOT)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tutorial_site.nginx", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="nginx's local port (default 8080)")
    parser.add_argument("--print-site", action="store_true", help="print site.conf and exit")
    parser.add_argument("--listen", default="80", help="with --print-site: nginx's listen address")
    parser.add_argument("--upstream", default="unix:/run/daphne/daphne.sock", help="with --print-site")
    parser.add_argument("--static-root", help="with --print-site (default: STATIC_ROOT)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial_site.settings")
    import django
    from django.conf import settings

    django.setup()
    if args.print_site:
        static_root = Path(args.static_root or settings.STATIC_ROOT)
        print(render_site(Site(listen=args.listen, upstream=args.upstream, static_root=static_root)), end="")
        return 0

    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    static_root = collectstatic()
    with (
        daphne() as server,
        Nginx(
            upstream=f"{server.host}:{server.port}",
            static_root=static_root,
            port=args.port,
            runtime_dir=Path(settings.VAR_DIR) / "nginx",  # its config and logs stay to be read
        ) as proxy,
    ):
        print(
            f"nginx on {proxy.url('/')} in front of daphne on {server.url('/')} ({SITE_APPLICATION}); "
            f"static files from {static_root}. Ctrl-C stops both.",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    return 0


if __name__ == "__main__":
    sys.exit(main())
