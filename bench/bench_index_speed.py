"""What indexing costs: `content add` with and without indexing, and local indexing at scale.

Two measures (issue 8):

- **add**: the generated company site (``kurt.sample_site.company``, about 560
  pages) served by a SEPARATE process, every page requested once before
  timing; the installed ``kurt content add <site>`` run in fresh workspaces,
  with indexing and with ``--no-index``, alternating which goes first, ROUNDS
  times each. Prints pages/s end to end (command start to exit) per run, the
  medians, and the ratio of the medians (target: at least 0.9), plus the
  ratio of each pair of runs made back to back.
- **index**: N synthetic documents (``bench_index.build``: the railway corpus
  with variations) indexed in process with ``index_documents``: documents/s
  (target: at least 400 at 30,000).

    python bench/bench_index_speed.py                       # both, 3 rounds, 30,000 docs
    python bench/bench_index_speed.py --part add --rounds 5
    python bench/bench_index_speed.py --part index --docs 30000 --profile prof.out

``--profile FILE`` runs the index part with one worker under cProfile (the
analysis and the writes in one process) and prints the top functions.

The machine may be shared: the 1-minute load average is printed beside the
figures; compare runs made in the same conditions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGET_RATIO = 0.9
TARGET_DOCS_PER_SECOND = 400


def load() -> float:
    return round(os.getloadavg()[0], 2)


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (kurt and its workers), user + system."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_add(exe: str, ws: Path, source: str, *, index: bool) -> dict:
    """``kurt content add SOURCE`` in a new workspace: seconds, pages/s, CPU seconds (kurt and
    its workers, the init left out)."""
    import json
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"}
    subprocess.run([exe, "init", str(ws)], check=True, capture_output=True, env=env)
    args = [exe, "content", "add", source, "--format", "json"] + ([] if index else ["--no-index"])
    with open(ws.parent / f"add-{ws.name}.json", "w+") as out:  # a pipe could fill up and block kurt
        cpu = _children_cpu()
        started = time.monotonic()
        proc = subprocess.run(args, cwd=ws, stdout=out, stderr=subprocess.PIPE, text=True, env=env)
        seconds = time.monotonic() - started
        cpu = _children_cpu() - cpu
        if proc.returncode != 0:
            raise SystemExit(f"kurt content add failed: {proc.stderr[-1500:]}")
        out.seek(0)
        fetched = json.load(out)["fetch"]["fetched"]
    return {"seconds": round(seconds, 2), "fetched": fetched, "pages_per_second": round(fetched / seconds, 1),
            "cpu": round(cpu, 2)}


def bench_add(rounds: int, seed: int = 0) -> dict:
    import argparse as _argparse

    from bench_discovery import start_server, warm_server

    from kurt.sample_site.company import company_truth

    exe = shutil.which("kurt") or sys.exit("install kurt first: pip install -e .")
    options = _argparse.Namespace(seed=seed, directory="/ecosystem/", company="Quackbase")
    truth = company_truth(seed=seed, directory=options.directory, company=options.company)
    server, base_url = start_server(options)
    workdir = Path(tempfile.mkdtemp(prefix="kurt-bench-index-speed-"))
    runs: dict[str, list[dict]] = {"index": [], "no_index": []}
    pairs: list[float] = []
    try:
        warm_server(base_url, truth)
        for k in range(rounds):
            order = ("no_index", "index") if k % 2 == 0 else ("index", "no_index")
            pair = {}
            for mode in order:
                before = load()
                run = timed_add(exe, workdir / f"{mode}-{k}", base_url, index=mode == "index")
                run["load"] = before
                runs[mode].append(run)
                pair[mode] = run["pages_per_second"]
                shutil.rmtree(workdir / f"{mode}-{k}", ignore_errors=True)
            pairs.append(round(pair["index"] / pair["no_index"], 2))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)
    median = {mode: statistics.median(r["pages_per_second"] for r in rs) for mode, rs in runs.items()}
    cpu = {mode: statistics.median(r["cpu"] for r in rs) for mode, rs in runs.items()}
    return {"runs": runs, "median": median, "ratio": round(median["index"] / median["no_index"], 2),
            "pair_ratios": pairs, "cpu": cpu, "cpu_ratio": round(cpu["no_index"] / cpu["index"], 2)}


def bench_index(docs: int, workers: int | None, profile: Path | None) -> dict:
    from bench_index import build

    from kurt.index.pipeline import index_documents
    from kurt.workspace import init_workspace

    root = Path(tempfile.mkdtemp(prefix="kurt-bench-index-speed-"))
    try:
        ws = init_workspace(root / "ws").workspace
        build(ws, docs)
        store = ws.open_store()
        before = load()
        if profile is not None:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            report = index_documents(ws, store, workers=1)
            profiler.disable()
            profiler.dump_stats(str(profile))
            pstats.Stats(str(profile)).sort_stats("cumulative").print_stats(40)
            pstats.Stats(str(profile)).sort_stats("tottime").print_stats(30)
        else:
            report = index_documents(ws, store, workers=workers)
        sections = int(store.query_one("SELECT COUNT(*) FROM sections")[0])
        store.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {"docs": docs, "indexed": report.indexed, "failed": report.failed,
            "seconds": round(report.elapsed, 2), "docs_per_second": round(report.documents_per_second, 1),
            "sections": sections, "load": before}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("add", "index", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=3, help="add runs per mode (alternating order)")
    parser.add_argument("--docs", type=int, default=30_000, help="documents for the index part")
    parser.add_argument("--workers", type=int, default=None, help="index workers (default: one per core)")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile the index part into FILE")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {load()} at start")
    if args.part in ("add", "both"):
        started = time.monotonic()
        add = bench_add(args.rounds)
        for mode in ("no_index", "index"):
            figures = ", ".join(f"{r['pages_per_second']} (load {r['load']}, {r['cpu']} CPU s)"
                                for r in add["runs"][mode])
            print(f"content add {'--no-index' if mode == 'no_index' else 'with indexing'}: pages/s {figures}")
        print(f"median pages/s: indexing {add['median']['index']}, --no-index {add['median']['no_index']}: "
              f"ratio {add['ratio']} (target >= {TARGET_RATIO}); back-to-back pairs: {add['pair_ratios']} "
              f"({add['runs']['index'][0]['fetched']} pages, {time.monotonic() - started:.0f} s in all)")
        print(f"median CPU seconds of kurt and its workers: indexing {add['cpu']['index']}, --no-index "
              f"{add['cpu']['no_index']}: --no-index / indexing {add['cpu_ratio']} (what the rates' ratio "
              "tends to when the machine is saturated)")
    if args.part in ("index", "both"):
        index = bench_index(args.docs, args.workers, args.profile)
        print(f"local index, {index['docs']} documents: {index['indexed']} indexed in {index['seconds']} s, "
              f"{index['docs_per_second']} docs/s (target >= {TARGET_DOCS_PER_SECOND}; load {index['load']} "
              f"at start, {load()} at end), {index['sections']} passages, {index['failed']} failed")


if __name__ == "__main__":
    main()
