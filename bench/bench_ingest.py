"""Ingestion benchmark: map + fetch + extract of a generated docs site, end to end.

Serves ``generate_synthetic_site(N)`` from a SEPARATE process (so the server's
CPU and memory are not counted), runs ``kurt content add <site>/sitemap.xml``
(the installed command, default settings, no index) in a fresh workspace, and
samples the memory of the kurt process tree (the command and its extraction
workers) every 50 ms with psutil.

    python bench/bench_ingest.py                 # 1,000 pages
    python bench/bench_ingest.py --pages 30000   # the big one

Prints pages/s end to end (command start to exit) and peak memory: the sum of
PSS over the tree (shared pages split fairly between processes) and, for
reference, the sum of RSS (which counts pages shared with forked workers once
per process).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil


def start_server(pages: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "kurt.sample_site", "--pages", str(pages)],
                            stdout=subprocess.PIPE, text=True)
    base_url = proc.stdout.readline().strip()
    if not base_url.startswith("http"):
        proc.kill()
        raise SystemExit("the sample site did not start")
    return proc, base_url


def tree_memory(proc: psutil.Process) -> tuple[int, int]:
    """(sum of PSS, sum of RSS) in bytes over ``proc`` and its descendants."""
    pss = rss = 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0
    for member in members:
        try:
            info = member.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        pss += getattr(info, "pss", info.rss)
        rss += info.rss
    return pss, rss


def run(pages: int, keep: bool) -> dict:
    kurt = shutil.which("kurt") or sys.exit("install kurt first: pip install -e .")
    server, base_url = start_server(pages)
    workdir = Path(tempfile.mkdtemp(prefix="kurt-bench-"))
    try:
        subprocess.run([kurt, "init", str(workdir / "ws")], check=True, capture_output=True)
        started = time.monotonic()
        out_file = open(workdir / "out.json", "w+")  # a pipe would fill up and block kurt
        err_file = open(workdir / "err.txt", "w+")
        proc = subprocess.Popen(
            [kurt, "content", "add", base_url + "/sitemap.xml", "--max-pages", str(pages + 100),
             "--no-index", "--format", "json"],
            cwd=workdir / "ws", stdout=out_file, stderr=err_file, text=True)
        watched = psutil.Process(proc.pid)
        peak_pss = peak_rss = 0
        while proc.poll() is None:
            pss, rss = tree_memory(watched)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            time.sleep(0.05)
        proc.wait()
        elapsed = time.monotonic() - started
        out = (workdir / "out.json").read_text()
        err = (workdir / "err.txt").read_text()
        if proc.returncode != 0:
            raise SystemExit(f"kurt failed ({proc.returncode}): {err[-2000:]}")
        data = json.loads(out)
        fetch = data["fetch"]
        return {
            "pages": pages,
            "found": data["mapped"][0]["report"]["found"],
            "fetched": fetch["fetched"],
            "failed": fetch["failed"],
            "skipped": fetch["skipped"],
            "seconds": round(elapsed, 1),
            "pages_per_second_end_to_end": round(fetch["fetched"] / elapsed, 1),
            "pages_per_second_fetch_phase": fetch["pages_per_second"],
            "peak_pss_mb": round(peak_pss / 1e6, 1),
            "peak_rss_sum_mb": round(peak_rss / 1e6, 1),
            "workspace": str(workdir / "ws") if keep else None,
        }
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the workspace for inspection")
    args = parser.parse_args()
    result = run(args.pages, args.keep)
    print(f"{result['fetched']} of {result['pages']} pages in {result['seconds']} s: "
          f"{result['pages_per_second_end_to_end']} pages/s end to end (map + fetch + extract), "
          f"{result['pages_per_second_fetch_phase']} pages/s in the fetch phase")
    print(f"peak memory of the kurt process tree: {result['peak_pss_mb']} MB PSS "
          f"(sum of RSS {result['peak_rss_sum_mb']} MB)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
