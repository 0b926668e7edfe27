"""Start-up time of `kurt --help` and of every command's --help (target: <= 0.3 s each).

Usage: python bench/bench_startup.py [--runs N]
Prints the median wall time per command over N runs of the installed `kurt`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def command_paths() -> list[list[str]]:
    from kurt.cli import cli
    from kurt.cli.reference import walk

    return [list(path[1:]) for path, _, _ in walk(cli, ("kurt",))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = shutil.which("kurt") or sys.exit("install kurt first: pip install -e .")
    worst = 0.0
    print(f"{'command':45} median ms")
    for path in command_paths():
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([exe, *path, "--help"], capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        worst = max(worst, median)
        print(f"{' '.join(['kurt', *path]):45} {median * 1000:8.1f}")
    print(f"slowest: {worst * 1000:.1f} ms (target <= 300 ms)")


if __name__ == "__main__":
    main()
