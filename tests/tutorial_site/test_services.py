"""tutorial_site.services: a service answers before start() returns, and nothing is left running."""

import os
import sys
from pathlib import Path

import pytest

from tutorial_site.services import Service, ServiceFailed, free_port, http_answers, port_answers

HTTP_SERVER = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "{port}"]


def test_a_service_answers_once_started_and_its_group_is_gone_after_stop(tmp_path: Path) -> None:
    with Service("http", HTTP_SERVER, cwd=tmp_path) as service:
        assert port_answers(service.port)
        assert http_answers(service.url("/"))
        pid = service.process.pid if service.process else 0
    assert not port_answers(service.port)
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)


def test_a_service_that_exits_early_fails_with_its_log() -> None:
    failing = Service("broken", [sys.executable, "-c", "import sys; print('no config here'); sys.exit(3)"])
    with pytest.raises(ServiceFailed, match=r"(?s)broken exited with code 3.*no config here"):
        failing.start()
    assert not failing.running


def test_a_service_that_never_answers_is_stopped_after_its_timeout() -> None:
    silent = Service("silent", [sys.executable, "-c", "import time; time.sleep(60)"], timeout=1)
    with pytest.raises(ServiceFailed, match="did not answer"):
        silent.start()
    assert not silent.running


def test_a_missing_program_is_a_clear_error() -> None:
    with pytest.raises(ServiceFailed, match="could not start"):
        Service("nothing", ["/nonexistent/program"]).start()


def test_kill_stops_a_service_like_a_crash(tmp_path: Path) -> None:
    service = Service("http", HTTP_SERVER, cwd=tmp_path).start()
    service.kill()
    assert not service.running
    assert not port_answers(service.port)


def test_free_port_is_free() -> None:
    assert not port_answers(free_port())
