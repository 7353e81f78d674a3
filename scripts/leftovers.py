"""After the test legs: the processes the run started and left running (exit status 1 if any).

A process belongs to the run when it started after the run began (by default: when this script's
parent, scripts/test.sh, started) and inherited the run's working directory (``PWD`` under the
repository): servers started by tests and notebooks (PostgreSQL, PgBouncer, Redis, gunicorn,
daphne...) keep that variable even when they run as another user or change directory.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent


def left_behind(since: float, root: Path = ROOT) -> list[psutil.Process]:
    """Running processes started at or after ``since`` whose ``PWD`` is ``root`` or inside it."""
    ours = {os.getpid(), *(p.pid for p in psutil.Process().parents())}
    found = []
    for process in psutil.process_iter(["create_time", "status", "environ"]):
        info = process.info
        if (
            process.pid in ours
            or (info["create_time"] or 0) < since
            or info["status"] == psutil.STATUS_ZOMBIE
        ):
            continue
        pwd = (info["environ"] or {}).get("PWD", "")
        if pwd and Path(pwd).is_relative_to(root):
            found.append(process)
    return found


def describe(process: psutil.Process) -> str:
    try:
        command = " ".join(process.cmdline()) or process.name()
        return f"  pid {process.pid} ({process.username()}): {command[:160]}"
    except psutil.Error:
        return f"  pid {process.pid}: (gone)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--since", type=float, help="a Unix time (default: when the parent process started)")
    parser.add_argument(
        "--grace", type=float, default=10.0, help="seconds to wait for processes still exiting"
    )
    args = parser.parse_args(argv)
    since = args.since if args.since is not None else psutil.Process(os.getppid()).create_time()
    deadline = time.monotonic() + args.grace
    while (found := left_behind(since)) and time.monotonic() < deadline:
        time.sleep(0.5)
    if not found:
        print("No process left behind.")
        return 0
    print(f"{len(found)} processes started by this run are still running:")
    print("\n".join(describe(process) for process in found))
    return 1


if __name__ == "__main__":
    sys.exit(main())
