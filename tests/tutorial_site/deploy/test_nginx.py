"""nginx in front of daphne serving the site (``tutorial_site.asgi:application``), as ``make proxy``
runs them: pages and the chat's websocket proxied, static files served by nginx itself.

Each pair is a private nginx (its own config, pid, logs and temporary files) on a free port in front
of a daphne on another free port, on the live servers' database (tests/tutorial_site/chat/live.py):
SQLite and the in-memory channel layer on the SQLite leg, PostgreSQL and Redis on the PostgreSQL leg.
Clients talk to nginx only, as browsers and scripts do: HTTP with urllib, websockets with the
``websockets`` library, sending the ``Origin`` of the address they used.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from tutorial_site.nginx import NGINX, Nginx, Site, collectstatic, daphne, render_site
from tutorial_site.services import Service, port_answers

from ..cli import REPO_ROOT, environment

Stack = tuple[Service, Nginx]
TIMEOUT = 10


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """collectstatic's output in a folder of the test's own."""
    if not os.access(NGINX, os.X_OK):
        pytest.skip(f"no nginx at {NGINX}: run scripts/system_packages.sh (Debian's nginx)")
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static")):
        return collectstatic()


def serve(env: dict[str, str], static_root: Path, access_log: Path) -> Iterator[Stack]:
    """daphne (with an access log) on the site, and nginx in front of it."""
    with (
        daphne(env=env, access_log=access_log) as server,
        Nginx(upstream=f"{server.host}:{server.port}", static_root=static_root) as proxy,
    ):
        yield server, proxy


@pytest.fixture(scope="module")
def stack(
    live_env: dict[str, str], static_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """The site with the development settings (as ``make proxy``), the chat's demo data seeded."""
    yield from serve(live_env, static_root, tmp_path_factory.mktemp("daphne") / "access.log")


@pytest.fixture(scope="module")
def production(
    live_env: dict[str, str], static_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """The site with the production settings (DEBUG off, HTTPS required) behind nginx."""
    env = {
        **live_env,
        "DJANGO_SETTINGS_MODULE": "tutorial_site.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    yield from serve(env, static_root, tmp_path_factory.mktemp("daphne-production") / "access.log")


# -- clients -----------------------------------------------------------------------------------------
class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """``GET url`` without following redirects: status, headers, body."""
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=TIMEOUT) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def access_token(proxy: Nginx, username: str) -> str:
    """``POST /api/token/`` through nginx with the demo password."""
    body = json.dumps({"username": username, "password": f"{username}-demo"}).encode()
    request = urllib.request.Request(
        proxy.url("/api/token/"), data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return str(json.load(response)["access"])


def log_in(proxy: Nginx, username: str) -> str:
    """Log in through nginx with Django's login form, as a browser does; the ``Cookie`` header it gets."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(proxy.url("/accounts/login/"), timeout=TIMEOUT) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    form = {
        "username": username,
        "password": f"{username}-demo",
        "csrfmiddlewaretoken": token,
        "next": "/chat/",
    }
    with browser.open(proxy.url("/accounts/login/"), data=urllib.parse.urlencode(form).encode()) as landed:
        assert landed.url == proxy.url("/chat/")  # logged in: the chat's index, not the form again
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies
    return f"sessionid={cookies['sessionid']}"


def origin(proxy: Nginx) -> str:
    """What a browser on the site sends as ``Origin``: the scheme, host and port it used."""
    return proxy.url("").rstrip("/")


class ChatSocket:
    """A chat websocket that has joined its room: ``ready`` and ``history``, then frames one by one."""

    def __init__(self, socket: ClientConnection, token: str | None) -> None:
        self.socket = socket
        if token is not None:
            self.send({"type": "auth", "token": token})
        self.ready = self.next()
        self.history = self.next()

    def send(self, frame: dict[str, Any]) -> None:
        self.socket.send(json.dumps(frame))

    def next(self) -> dict[str, Any]:
        """The next frame but presence."""
        while True:
            frame: dict[str, Any] = json.loads(self.socket.recv(timeout=TIMEOUT))
            if frame["type"] != "presence":
                return frame


@contextmanager
def chat(
    proxy: Nginx, room: str, *, token: str | None = None, cookie: str | None = None
) -> Iterator[ChatSocket]:
    """Join ``room`` through nginx with a JWT ``auth`` frame or a session cookie, from the site's origin."""
    with connect(
        proxy.url(f"/ws/chat/{room}/", scheme="ws"),
        origin=origin(proxy),  # type: ignore[arg-type]
        additional_headers={"Cookie": cookie} if cookie else {},
        open_timeout=TIMEOUT,
        max_size=None,
    ) as socket:
        yield ChatSocket(socket, token)


def daphne_log(server: Service) -> str:
    return Path(server.argv[server.argv.index("--access-log") + 1]).read_text()


# -- HTTP --------------------------------------------------------------------------------------------
def test_a_page_is_proxied_to_daphne(stack: Stack) -> None:
    server, proxy = stack
    status, headers, body = get(proxy.url("/"))
    assert status == 200
    assert b'<nav class="site-nav"' in body
    assert headers["Server"] == "nginx"  # nginx answered, without its version (server_tokens off)
    assert re.search(r'(?m)^127\.0\.0\.1:\d+ .*"GET /" 200', daphne_log(server))


def test_a_static_file_comes_from_nginx_not_daphne(stack: Stack, static_root: Path) -> None:
    server, proxy = stack
    status, headers, body = get(proxy.url("/static/site/site.css"))
    assert status == 200
    assert body == (static_root / "site" / "site.css").read_bytes()
    assert headers["Content-Type"] == "text/css"
    assert headers["Cache-Control"] == "public, max-age=604800"
    assert get(proxy.url("/static/site/missing.css"))[0] == 404
    assert "/static/" not in daphne_log(server)


def test_daphne_sees_the_address_nginx_saw_not_one_the_client_wrote(stack: Stack) -> None:
    server, proxy = stack
    assert get(proxy.url("/?forged"), {"X-Forwarded-For": "203.0.113.7"})[0] == 200
    line = next(line for line in daphne_log(server).splitlines() if "GET /?forged" in line)
    assert line.startswith("127.0.0.1:")


def test_the_hosts_check_still_applies_behind_nginx(stack: Stack) -> None:
    _, proxy = stack
    assert get(proxy.url("/"), {"Host": "evil.example"})[0] == 400  # nginx passes the Host it got


def guess_password(proxy: Nginx, guess: str, source: str) -> int:
    """``POST /api/token/`` for alice with a wrong password, from the loopback address ``source``."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", proxy.port, timeout=TIMEOUT, source_address=(source, 0)
    )
    try:
        body = json.dumps({"username": "alice", "password": guess})
        connection.request("POST", "/api/token/", body, {"Content-Type": "application/json"})
        return connection.getresponse().status
    finally:
        connection.close()


def test_password_guessing_is_held_back_per_client_address(stack: Stack) -> None:
    """nginx lets 10 POSTs a minute through to the token view and the login form, after a burst of
    10, per client address: a guesser from 127.0.0.2 gets 429 while 127.0.0.1 still logs in."""
    _, proxy = stack
    statuses = [guess_password(proxy, f"guess-{i}", "127.0.0.2") for i in range(20)]
    assert statuses[:11] == [401] * 11  # Django's answer to a wrong password, up to the burst
    assert statuses[-1] == 429
    assert set(statuses) == {401, 429}
    assert statuses.count(429) >= 7  # at most two more let through while the guesses ran
    assert access_token(proxy, "alice")  # another address is not held back
    assert get(proxy.url("/accounts/login/"))[0] == 200  # nor is anything but a POST


# -- the chat's websocket ------------------------------------------------------------------------------
def test_a_chat_session_through_nginx_with_a_token_and_with_a_session_cookie(stack: Stack) -> None:
    """alice authenticates with a JWT frame, bob with the cookie of a login through nginx; each gets
    ``ready`` and the history, and a message from either reaches both, numbered by the server."""
    _, proxy = stack
    token, cookie = access_token(proxy, "alice"), log_in(proxy, "bob")
    with (
        chat(proxy, "alice__bob", token=token) as alice,
        chat(proxy, "alice__bob", cookie=cookie) as bob,
    ):
        assert alice.ready["type"] == bob.ready["type"] == "ready"
        assert (alice.ready["user"], bob.ready["user"]) == ("alice", "bob")
        last = alice.ready["last_seq"]
        assert last > 0
        assert alice.history["type"] == "history"
        assert alice.history["messages"][-1]["seq"] == last

        alice.send({"type": "message", "body": "Hello through nginx", "client_id": "nginx-1"})
        sent = alice.next()
        assert sent == bob.next()
        assert (sent["type"], sent["seq"], sent["author"]) == ("message", last + 1, "alice")
        assert (sent["body"], sent["client_id"]) == ("Hello through nginx", "nginx-1")

        bob.send({"type": "message", "body": "Loud and clear"})
        reply = bob.next()
        assert reply == alice.next()
        assert (reply["seq"], reply["author"], reply["body"]) == (last + 2, "bob", "Loud and clear")


def test_a_websocket_from_another_origin_is_refused_behind_nginx(stack: Stack) -> None:
    _, proxy = stack
    url = proxy.url("/ws/chat/lobby/", scheme="ws")
    with pytest.raises(InvalidStatus) as refused, connect(url, origin="http://evil.example"):  # type: ignore[arg-type]
        pass
    assert refused.value.response.status_code == 403


# -- production settings ---------------------------------------------------------------------------------
def test_in_production_plain_http_is_redirected_even_when_the_client_claims_https(production: Stack) -> None:
    """SECURE_PROXY_SSL_HEADER trusts X-Forwarded-Proto: safe only because nginx writes it itself."""
    server, proxy = production
    status, headers, _ = get(proxy.url("/"), {"X-Forwarded-Proto": "https"})
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{proxy.port}/"
    assert get(proxy.url("/static/site/site.css"))[0] == 200  # DEBUG off: nginx serves them, daphne never
    assert get(server.url("/static/site/site.css"), {"X-Forwarded-Proto": "https"})[0] == 404


# -- the lab's nginx -------------------------------------------------------------------------------------
def test_the_lab_nginx_keeps_its_files_in_its_runtime_folder(stack: Stack) -> None:
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


def test_make_proxy_serves_the_site_until_stopped(static_root: Path, tmp_path: Path) -> None:
    """``python -m tutorial_site.nginx`` (make proxy) starts both on the site, and SIGTERM stops both."""
    env = environment(tmp_path, DJANGO_SETTINGS_MODULE="tutorial_site.settings")
    announced = re.compile(r"daphne on http://127\.0\.0\.1:(\d+)/ \(tutorial_site\.asgi:application\)")
    lab = Service(
        "make-proxy",
        [sys.executable, "-m", "tutorial_site.nginx", "--port", "{port}"],
        env=env,
        cwd=REPO_ROOT,
        ready=lambda service: "Ctrl-C stops both" in service.log_tail(),
    )
    with lab:
        assert get(lab.url("/static/site/site.css"))[0] == 200
        status, _, body = get(lab.url("/"))
        assert status == 200
        assert b'href="/chat/"' in body
        daphne_port = int(announced.search(lab.log_tail()).group(1))
    assert not port_answers(lab.port)
    assert not port_answers(daphne_port)


def test_make_proxy_seeds_first_and_pools_on_postgresql() -> None:
    """Out of the box: the demo users exist (the chat needs them), a pool per process as make serve."""
    dry = _make_dry_run("proxy", DATABASE_URL="postgres://lab@127.0.0.1/lab")
    assert "manage.py seed" in dry
    assert "DATABASE_POOL=${DATABASE_POOL:-4} " in dry
    assert "DATABASE_POOL" not in _make_dry_run("proxy", DATABASE_URL="")


def _make_dry_run(target: str, **variables: str) -> str:
    command = ["make", "-n", target, *(f"{k}={v}" for k, v in variables.items())]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
