"""How the chat is served: the ASGI application, daphne's runserver, make serve, the channel layer."""

import subprocess
import sys
from pathlib import Path

import pytest
from channels.routing import ProtocolTypeRouter
from django.core.exceptions import ImproperlyConfigured
from django.core.management import get_commands

from tutorial_site.config import channel_layer_config

ROOT = Path(__file__).resolve().parents[3]


def test_the_asgi_application_routes_http_and_websockets() -> None:
    from tutorial_site.asgi import application

    assert isinstance(application, ProtocolTypeRouter)
    assert set(application.application_mapping) == {"http", "websocket"}


def test_runserver_is_daphnes_so_it_serves_websockets_too() -> None:
    assert get_commands()["runserver"] == "daphne"


def test_make_serve_runs_daphne_on_the_asgi_application() -> None:
    dry = subprocess.run(["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "daphne -b 127.0.0.1 -p 8000 tutorial_site.asgi:application" in dry
    moved = subprocess.run(
        ["make", "-n", "serve", "SERVE_ARGS=-b 0.0.0.0 -p 9000"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "daphne -b 0.0.0.0 -p 9000 tutorial_site.asgi:application" in moved


def test_the_channel_layer_is_redis_with_redis_url_else_in_memory() -> None:
    assert channel_layer_config(None)["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    redis = channel_layer_config("redis://127.0.0.1:6379/1")
    assert redis["BACKEND"].startswith("channels_redis.")
    assert redis["CONFIG"]["hosts"] == ["redis://127.0.0.1:6379/1"]
    with pytest.raises(ImproperlyConfigured, match="is not a Redis URL"):
        channel_layer_config("http://127.0.0.1:6379")


def test_the_sites_settings_read_database_pool(tmp_path: Path) -> None:
    probe = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('pool'))"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tutorial_site.settings",
        "TUTORIAL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://lab@127.0.0.1:1/lab",
        "DATABASE_POOL": "4",
    }
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "{'min_size': 4, 'max_size': 4}", result.stderr
