"""scripts/leftovers.py finds a process a run left running, and nothing once it is gone."""

import os
import subprocess
import sys
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def leftovers(since: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/leftovers.py", "--since", str(since), "--grace", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_process_left_running_is_reported_until_it_stops() -> None:
    sleeper = subprocess.Popen(["sleep", "60"], env={**os.environ, "PWD": str(ROOT / "var")})
    since = psutil.Process(sleeper.pid).create_time()  # psutil's clock, which may differ from time.time()
    try:
        found = leftovers(since)
        assert found.returncode == 1
        assert f"pid {sleeper.pid} " in found.stdout
        assert "sleep 60" in found.stdout
    finally:
        sleeper.kill()
        sleeper.wait()
    done = leftovers(since)
    assert (done.returncode, done.stdout.strip()) == (0, "No process left behind.")
