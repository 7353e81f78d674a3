"""The lab's PostgreSQL scripts: `make replica` / `make replica-stop` start and stop a primary and its
replica in the background and leave no process behind; a missing program is a clear error."""

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest

from tutorial_site.scaling import cluster
from tutorial_site.scaling.cluster import Cluster, ClusterError, postgres_bin_dir, require_bin_dir

REPO = Path(__file__).resolve().parents[3]


def processes_under(root: Path) -> list[psutil.Process]:
    """Processes whose working directory is inside ``root`` (PostgreSQL's run in their data directory)."""
    found = []
    for process in psutil.process_iter(["cwd"]):
        cwd = process.info.get("cwd")
        if cwd and Path(cwd).is_relative_to(root):
            found.append(process)
    return found


@pytest.fixture
def root() -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix="scaling-cli-"))
    directory.chmod(0o711)
    yield directory / "replica"
    shutil.rmtree(directory, ignore_errors=True)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutorial_site.scaling.cluster", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.postgres
def test_start_and_stop_in_the_background_leave_nothing_running(root: Path) -> None:
    started = cli("start", "--root", str(root))
    try:
        assert started.returncode == 0, started.stderr
        assert "export REPLICA_URL=postgres://postgres:" in started.stdout
        lab = Cluster(root)
        with lab.replica.connect() as replica:
            assert replica.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
        assert "running" in cli("status", "--root", str(root)).stdout
        assert processes_under(root)
    finally:
        stopped = cli("stop", "--root", str(root))
    assert stopped.returncode == 0, stopped.stderr
    assert stopped.stdout.strip() == "Stopped: replica, primary."
    assert processes_under(root) == []
    with pytest.raises(psycopg.OperationalError):
        lab.primary.connect()
    assert cli("stop", "--root", str(root)).stdout.strip() == "Nothing was running."


def test_stopping_a_lab_that_was_never_created_is_fine(root: Path) -> None:
    done = cli("stop", "--root", str(root))
    assert (done.returncode, done.stdout.strip()) == (0, f"No lab cluster under {root}: nothing to stop.")


def test_without_postgresql_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("POSTGRES_BIN", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(cluster, "DEBIAN_VERSIONS", tmp_path / "no-such-directory")
    assert postgres_bin_dir() is None
    with pytest.raises(ClusterError, match=r"apt-get install postgresql.*POSTGRES_BIN"):
        require_bin_dir()


def test_as_root_the_servers_run_as_the_postgres_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert cluster._as_owner(["postgres", "-D", "x"]) == ["postgres", "-D", "x"]
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(cluster, "OS_USER", "no-such-user-here")
    with pytest.raises(ClusterError, match="no 'no-such-user-here' user to run it as"):
        cluster._as_owner(["postgres"])
