"""Benchmark ``kurt draft check`` (every rule, grounding included) on drafts built from the railway corpus.

Loads the railway docs corpus (tests/fixtures/corpora/railway-docs) into a fresh
workspace as the tests do (tests/conftest.py ``load_corpus``: stored files, the store,
the local index), creates project ``bench`` and writes integration-page drafts of about
``--words`` words of prose, each against ``--sources`` real documents: its frontmatter
lists them all (inventory and outline sections), its nine template sections hold
sentences taken from those documents with their citations (``path:line``), and three
code blocks copied from them (bash, JavaScript, Python when the sources have them).

Prints:

- one draft: the library's ``check()`` in process (median and worst of --rounds), and
  the whole ``kurt draft check FILE`` command (a new process: imports included), each
  as a first run (the analysis cache .kurt/checks-cache.sqlite removed before) and warm
  (the cache filled by the runs before);
- a project of --drafts drafts: ``kurt draft check PROJECT`` (the whole command), first
  run and warm, with one process per core (``--jobs 0``, the default) and with one
  (``--jobs 1``), and ``check()`` in process (warm, one process);
- the findings per rule, to show the drafts are realistic (they should hold no error).

Targets (issue 9): one 1,500-word draft against 50 sources in at most 2 s; a project of
20 drafts in at most 10 s.

    python bench/bench_checks.py [--words 1500] [--sources 50] [--drafts 20] [--rounds 5]
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SECTIONS = ["Overview", "Prerequisites", "Setup Guide", "Common Use Cases",
            "Configuration Options", "Troubleshooting", "Security Best Practices",
            "Limits & Quotas", "Next Steps"]
OUTLINE = ["overview", "prerequisites", "setup-guide", "code-examples", "use-cases",
           "troubleshooting"]
_PLAIN = re.compile(r"^[A-Z][^<>\[\]{}|*_#`\\]{60,400}[.]$")


def workspace(folder: Path):
    from kurt.workspace import init_workspace
    from tests.conftest import RAILWAY_CORPUS, load_corpus

    ws = init_workspace(folder / "ws").workspace
    started = time.perf_counter()
    count = load_corpus(ws, RAILWAY_CORPUS)
    print(f"corpus: {count} documents loaded and indexed in {time.perf_counter() - started:.1f} s")
    return ws


def sentences(ws, path: str) -> list[tuple[int, str]]:
    """(line, text) of the plain prose lines of a stored file (one sentence or more)."""
    out, fence = [], False
    for number, line in enumerate((ws.root / path).read_text().split("\n"), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
            continue
        text = line.strip()
        if not fence and _PLAIN.match(text) and "TODO" not in text and "TBD" not in text:
            out.append((number, text))
    return out


def code_blocks(ws, path: str) -> list[tuple[str, str]]:
    text = (ws.root / path).read_text()
    found = re.findall(r"^```(bash|js|javascript|python)\n(.*?)^```\s*$", text, re.S | re.M)
    return [(lang, code) for lang, code in found if 2 <= code.count("\n") <= 20
            and "{{" not in code and "..." not in code]


def make_draft(ws, sources: list[str], words: int, index: int, rng: random.Random) -> Path:
    from kurt.writing.citations import format_citation

    pool = [(path, line, text) for path in sources for line, text in sentences(ws, path)]
    rng.shuffle(pool)
    # each source cited at least once, then more sentences until the length is reached
    chosen, used = [], set()
    for path in sources:
        pick = next(((p, n, t) for p, n, t in pool if p == path), None)
        if pick is not None:
            chosen.append(pick)
            used.add(pick)
    total = sum(len(t.split()) for _, _, t in chosen)
    for item in pool:
        if total >= words:
            break
        if item not in used:
            chosen.append(item)
            used.add(item)
            total += len(item[2].split())
    per = max(1, len(chosen) // len(SECTIONS))
    blocks = [b for path in sources for b in code_blocks(ws, path)]
    fences = {"bash": None, "javascript": None, "python": None}
    for lang, code in blocks:
        key = "javascript" if lang in ("js", "javascript") else lang
        if fences.get(key) is None:
            fences[key] = (lang, code)
    body = [f"# Railway Integration {index}", ""]
    for position, heading in enumerate(SECTIONS):
        body += [f"## {heading}", ""]
        part = chosen[position * per:(position + 1) * per] if position < len(SECTIONS) - 1 \
            else chosen[position * per:]
        for path, line, text in part:
            body += [f"{text} {format_citation(path, line)}", ""]
        if heading == "Setup Guide":
            body += ["### Code Examples", ""]
            for fence in fences.values():
                if fence is not None:
                    body += [f"```{fence[0]}", fence[1].rstrip("\n"), "```", ""]
    inventory = "\n".join(f"  - path: {p}\n    purpose: \"source {i}\"" for i, p in enumerate(sources))
    outline = []
    for position, key in enumerate(OUTLINE):
        share = sources[position::len(OUTLINE)]
        outline.append(f"  {key}:\n    sources:\n" + "\n".join(f"      - {p}" for p in share)
                       + f"\n    purpose: \"{key.replace('-', ' ')}\"")
    front = (f"project: bench\ndocument: integration-page-bench-{index:02d}\n"
             "format_template: kurt/templates/formats/integration-page.md\ncreated: 2026-11-30\n"
             f"status: draft\n\nsources:\n{inventory}\n\noutline:\n" + "\n".join(outline) + "\n")
    path = ws.projects_dir / "bench" / "drafts" / f"integration-page-bench-{index:02d}.md"
    path.write_text(f"---\n{front}---\n\n" + "\n".join(body), encoding="utf-8")
    return path


def kurt_command() -> list[str]:
    exe = shutil.which("kurt")
    return [exe] if exe else [sys.executable, "-m", "kurt"]


CPU: list[float] = []  # CPU seconds of each run_command (user + system of the child)


def clear_cache(ws) -> None:
    """Remove the checks' analysis cache (.kurt/checks-cache.sqlite): the next run is a first."""
    from kurt.checks.grounding.analysis_cache import FILE_NAME

    for suffix in ("", "-wal", "-shm"):
        (ws.state_dir / (FILE_NAME + suffix)).unlink(missing_ok=True)


def run_command(ws, *args: str, clear: bool = False) -> float:
    import resource

    if clear:
        clear_cache(ws)
    env = {k: v for k, v in os.environ.items() if k != "KURT_WORKSPACE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run([*kurt_command(), "draft", "check", *args, "--format", "json"],
                          cwd=ws.root, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"kurt draft check failed: {proc.stderr}")
    return elapsed


def in_process(ws, targets, *, clear: bool = False) -> tuple[float, object]:
    from kurt.checks.runner import check

    if clear:
        clear_cache(ws)
    store = ws.open_store()
    try:
        started = time.perf_counter()
        report = check(ws, targets, store=store)
        return time.perf_counter() - started, report
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--drafts", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from kurt.checks.body import word_count
    from kurt.writing.projects import create_project

    # An installed Kurt has its bytecode compiled (pip does it); an editable checkout under
    # PYTHONDONTWRITEBYTECODE has none, and every command would compile its modules again.
    compileall.compile_dir(str(REPO / "kurt"), quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        ws = workspace(Path(folder))
        create_project(ws, "bench", "Benchmark the draft checks")
        store = ws.open_store()
        docs = [r["content_path"] for r in store.query(
            "SELECT content_path FROM documents WHERE status = 'FETCHED' ORDER BY content_path")]
        store.close()
        docs = [d for d in docs if len(sentences(ws, d)) >= 3]
        rng = random.Random(9)
        paths = []
        for index in range(args.drafts):
            chosen = rng.sample(docs, min(args.sources, len(docs)))
            paths.append(make_draft(ws, chosen, args.words, index, rng))
        first = paths[0]
        text = first.read_text()
        print(f"drafts: {len(paths)} of {word_count(text.split('---', 2)[2])} words of prose "
              f"(the first), {args.sources} sources each, "
              f"{text.count('<!-- Source:')} citations and "
              f"{text.count('```') // 2} code blocks in the first")

        cold = [in_process(ws, [first], clear=True)[0] for _ in range(max(1, args.rounds // 2))]
        warm = [in_process(ws, [first])[0] for _ in range(args.rounds)]
        print(f"one draft, check() in process: first run (no cache) median "
              f"{statistics.median(cold):.3f} s; warm median {statistics.median(warm):.3f} s, "
              f"worst {max(warm):.3f} s")
        rel = str(first.relative_to(ws.root))
        for label, clear, rounds in (("first run (no cache)", True, max(1, args.rounds // 2)),
                                     ("warm (cache filled)", False, args.rounds)):
            CPU.clear()
            times = [run_command(ws, rel, clear=clear) for _ in range(rounds)]
            print(f"one draft, 'kurt draft check FILE', {label}: median "
                  f"{statistics.median(times):.3f} s, worst {max(times):.3f} s, CPU median "
                  f"{statistics.median(CPU):.2f} s (load average {os.getloadavg()[0]:.1f} on "
                  f"{os.cpu_count()} cores; target <= 2 s)")

        for jobs in ("0", "1"):  # one process per core (the default), then one process
            for label, clear, rounds in (("first run (no cache)", True, 1),
                                         ("warm (cache filled)", False,
                                          max(1, args.rounds // 2))):
                CPU.clear()
                times = [run_command(ws, "bench", "--jobs", jobs, clear=clear)
                         for _ in range(rounds)]
                print(f"project of {len(paths)} drafts, 'kurt draft check bench --jobs {jobs}', "
                      f"{label}: median {statistics.median(times):.2f} s, worst "
                      f"{max(times):.2f} s, CPU median {statistics.median(CPU):.2f} s (load "
                      f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; target "
                      "<= 10 s)")
        elapsed, report = in_process(ws, ["bench"])
        print(f"project of {len(paths)} drafts, check() in process (warm): {elapsed:.2f} s")
        counts = Counter((f.rule, f.severity) for f in report.findings)
        print(f"findings: {report.errors} errors, {report.warnings} warnings, "
              f"{report.infos} info")
        for (rule, severity), n in sorted(counts.items()):
            print(f"  {rule:<32} {severity:<8} {n}")
        for finding in report.findings:  # the drafts hold source sentences: none is expected
            if finding.severity == "error":
                print(f"  error {finding.path}:{finding.line}:{finding.column} {finding.rule} "
                      f"{finding.message}")


if __name__ == "__main__":
    main()
