"""What the suite-wide N+1 switch adds to this project's own test suite: runs with it on and off.

Runs the SQLite leg of the suite (``pytest -m "not notebooks"`` without DATABASE_URL/REDIS_URL)
``--rounds`` times with ``--profiler-n-plus-one=warn`` and ``=off``, alternating which goes first,
and prints each round's ratio on/off of wall time and of CPU time (the pytest process and every
process it waited for). CPU time is the steadier of the two on a busy machine; a ratio is taken
within one round, so both runs of it saw about the same load. Extra arguments go to pytest.

Run: .venv/bin/python bench/suite_switch.py [--rounds 3] [pytest args, e.g. tests/profiler]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("off", "warn")
SWITCH = "--profiler-n-plus-one"


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_suite(mode: str, pytest_args: list[str]) -> tuple[float, float]:
    """``(wall seconds, CPU seconds)`` of one run of the suite with the switch in ``mode``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{SWITCH}={mode}"]
    command += pytest_args or ["-m", "not notebooks"]
    cpu, start = cpu_of_children(), time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - start, cpu_of_children() - cpu
    if result.returncode != 0:
        sys.exit(f"pytest {SWITCH}={mode} failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="pairs of runs (default 3)")
    options, pytest_args = parser.parse_known_args()
    wall_ratios, cpu_ratios = [], []
    columns = ("round", "off wall", "warn wall", "ratio", "off CPU", "warn CPU", "ratio")
    print("  ".join(f"{name:>9}" for name in columns))
    for round_number in range(1, options.rounds + 1):
        order = MODES if round_number % 2 else MODES[::-1]
        times = {mode: run_suite(mode, pytest_args) for mode in order}
        (off_wall, off_cpu), (on_wall, on_cpu) = times["off"], times["warn"]
        wall_ratios.append(on_wall / off_wall)
        cpu_ratios.append(on_cpu / off_cpu)
        print(
            f"{round_number:>9}  {off_wall:>8.1f}s  {on_wall:>8.1f}s  {wall_ratios[-1]:>9.3f}"
            f"  {off_cpu:>8.1f}s  {on_cpu:>8.1f}s  {cpu_ratios[-1]:>9.3f}",
            flush=True,
        )
    print(
        f"median ratio switch on (warn) / off: wall {statistics.median(wall_ratios):.3f}, "
        f"CPU {statistics.median(cpu_ratios):.3f} over {options.rounds} rounds"
    )


if __name__ == "__main__":
    main()
