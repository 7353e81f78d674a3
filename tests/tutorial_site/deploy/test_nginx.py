"""nginx in front of daphne: a page and a websocket proxied, a static file served by nginx itself.

Each test runs a private nginx (its own config, pid, logs and temp files) on a free port in front of a
daphne on another free port. daphne serves ``echo_asgi``: the site plus an echo websocket.
"""

import json
import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from websockets.sync.client import connect

from tutorial_site.nginx import NGINX, Nginx, Site, collectstatic, daphne, render_site
from tutorial_site.services import Service, port_answers

from ..cli import environment

APP = "tests.tutorial_site.deploy.echo_asgi:application"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """collectstatic's output in a folder of the test's own."""
    if not os.access(NGINX, os.X_OK):
        pytest.skip(f"no nginx at {NGINX}: run scripts/system_packages.sh (Debian's nginx)")
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        return collectstatic()


@pytest.fixture(scope="module")
def stack(static_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, Nginx]]:
    """daphne (with an access log) and nginx in front of it, for the module."""
    var_dir = tmp_path_factory.mktemp("daphne-var")
    access_log = var_dir / "access.log"
    env = environment(var_dir, DJANGO_SETTINGS_MODULE="tutorial_site.settings")
    with (
        daphne(APP, env=env, access_log=access_log) as server,
        Nginx(upstream=f"{server.host}:{server.port}", static_root=static_root) as proxy,
    ):
        yield server, proxy


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def daphne_requests(server: Service) -> str:
    log = server.argv[server.argv.index("--access-log") + 1]
    return Path(log).read_text()


def test_a_page_is_proxied_to_daphne(stack: tuple[Service, Nginx]) -> None:
    server, proxy = stack
    status, headers, body = get(proxy.url("/accounts/login/"))
    assert status == 200
    assert b'name="csrfmiddlewaretoken"' in body
    assert headers["Server"] == "nginx"  # nginx answered, without its version (server_tokens off)
    assert '"GET /accounts/login/' in daphne_requests(server)


def test_a_static_file_comes_from_nginx_not_daphne(stack: tuple[Service, Nginx], static_root: Path) -> None:
    server, proxy = stack
    status, headers, body = get(proxy.url("/static/site/site.css"))
    assert status == 200
    assert body == (static_root / "site" / "site.css").read_bytes()
    assert headers["Content-Type"] == "text/css"
    assert headers["Cache-Control"] == "public, max-age=604800"
    assert get(proxy.url("/static/site/missing.css"))[0] == 404
    assert "/static/" not in daphne_requests(server)


def test_a_websocket_is_proxied_with_the_forwarding_headers(stack: tuple[Service, Nginx]) -> None:
    _, proxy = stack
    with connect(proxy.url("/ws/echo/", scheme="ws"), open_timeout=10) as websocket:
        websocket.send("hello through nginx")
        answer = json.loads(websocket.recv(timeout=10))
        websocket.send("and again")
        again = json.loads(websocket.recv(timeout=10))
    assert answer["echo"] == "hello through nginx"
    assert again["echo"] == "and again"  # one connection, kept open both ways
    assert answer["x-forwarded-for"] == "127.0.0.1"
    assert answer["x-forwarded-proto"] == "http"
    assert answer["host"] == f"127.0.0.1:{proxy.port}"  # the address the client used, port and all


def test_the_lab_nginx_keeps_its_files_in_its_runtime_folder(stack: tuple[Service, Nginx]) -> None:
    _, proxy = stack
    config = (proxy.runtime_dir / "nginx.conf").read_text()
    paths = re.findall(r"(?m)^\s*(?:pid|error_log|access_log|\w+_temp_path) (\S+?)[ ;]", config)
    assert len(paths) == 8
    assert all(path.startswith(str(proxy.runtime_dir)) for path in paths)
    assert (proxy.runtime_dir / "nginx.pid").read_text().strip() == str(proxy.process.pid)


def test_a_runtime_folder_it_made_goes_when_it_stops(static_root: Path) -> None:
    proxy = Nginx(upstream="127.0.0.1:1", static_root=static_root).start()
    assert (proxy.runtime_dir / "nginx.conf").is_file()
    proxy.stop()
    assert not proxy.runtime_dir.exists()


def test_a_missing_static_root_says_to_run_collectstatic(tmp_path: Path) -> None:
    with pytest.raises(Exception, match=r"does not exist: run `python manage.py collectstatic`"):
        Nginx(upstream="127.0.0.1:1", static_root=tmp_path / "nothing")


def test_the_site_block_renders_for_a_unix_socket() -> None:
    text = render_site(Site(listen="80", upstream="unix:/run/daphne.sock", static_root=Path("/srv/static/")))
    assert "server unix:/run/daphne.sock;" in text
    assert "alias /srv/static/;" in text
    assert "{{" not in text


def test_make_proxy_serves_until_stopped(static_root: Path, tmp_path: Path) -> None:
    """``python -m tutorial_site.nginx`` (make proxy) starts both, and SIGTERM stops both."""
    env = environment(tmp_path, DJANGO_SETTINGS_MODULE="tutorial_site.settings")
    command = [sys.executable, "-m", "tutorial_site.nginx", "--app", APP, "--port", "{port}"]
    announced = re.compile(r"daphne on http://127\.0\.0\.1:(\d+)/ .* Ctrl-C stops both")
    lab = Service(
        "make-proxy",
        command,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        ready=lambda service: announced.search(service.log_tail()) is not None,
    )
    with lab:
        assert get(lab.url("/static/site/site.css"))[0] == 200
        assert get(lab.url("/accounts/login/"))[0] == 200
        daphne_port = int(announced.search(lab.log_tail()).group(1))
    assert not port_answers(lab.port)
    assert not port_answers(daphne_port)
