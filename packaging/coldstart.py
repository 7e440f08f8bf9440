"""Start-up times of installed copies of the app, each run a fresh process in a clean environment.

    python packaging/coldstart.py [--runs N] LABEL=COMMAND ...
    python packaging/coldstart.py bundle=dist/xref-explorer/xref-explorer editable=.venv/bin/xref-explorer

For each command: ``window``, the time from launch until the main window on a copy of the
embedded corpus is painted and the process has exited (``XREF_EXPLORER_SMOKE_TEST=1``,
offscreen); ``export``, the time of ``export recommendations --format csv``; ``version``, the
time of ``--version``. Runs of the commands alternate, so that a busy machine slows them alike.
The first run of each command (caches still cold, when it comes first after a build) is
reported apart from the median of the others; the CPU time (user + system) of the runs varies
less than the wall-clock time on a busy machine.
"""

from __future__ import annotations

import argparse
import math
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import resource  # CPU time of the runs (not on Windows)
except ImportError:
    resource = None

ROOT = Path(__file__).resolve().parent.parent
MEASURES = {
    "window": lambda db: ["--db", str(db)],
    "export": lambda db: ["--db", str(db), "export", "recommendations", "--format", "csv"],
    "version": lambda db: ["--version"],
}


def _children_cpu() -> float:
    if resource is None:
        return math.nan
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one run of ``command``."""
    cpu, began = _children_cpu(), time.perf_counter()
    try:
        result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        raise SystemExit(f"error: {shlex.join(command)} did not end within 120 s") from None
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"error: {shlex.join(command)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("commands", nargs="+", metavar="LABEL=COMMAND")
    args = parser.parse_args()
    commands = {label: shlex.split(command) for label, command in (item.split("=", 1) for item in args.commands)}
    for command in commands.values():  # the runs start in a folder of their own
        if Path(command[0]).exists():
            command[0] = str(Path(command[0]).absolute())
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "home").mkdir()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work / "home"),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            "XREF_EXPLORER_SMOKE_TEST": "1",
        }
        for key in ("SYSTEMROOT", "TEMP", "TMP"):  # Windows needs these
            if key in os.environ:
                env[key] = os.environ[key]
        libraries = {}
        for label in commands:
            libraries[label] = work / f"{label}.sqlite"
            shutil.copyfile(ROOT / "data.sqlite", libraries[label])
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            for measure, arguments in MEASURES.items():
                for label, command in commands.items():
                    times.setdefault((label, measure), []).append(timed([*command, *arguments(libraries[label])], env, work))
    print(f"{'command':<12}{'measure':<9}{'first (s)':>10}{'median (s)':>12}{'min (s)':>9}{'CPU median (s)':>16}")
    for (label, measure), runs in times.items():
        walls, cpus = [wall for wall, _ in runs], [cpu for _, cpu in runs]
        rest = walls[1:] or walls
        print(
            f"{label:<12}{measure:<9}{walls[0]:>10.2f}{statistics.median(rest):>12.2f}{min(walls):>9.2f}"
            f"{statistics.median(cpus):>16.2f}"
        )


if __name__ == "__main__":
    sys.exit(main())
