"""Benchmark the Vale reader: the whole Google style on 1,500-word markdown files.

Builds a ``.vale.ini`` in a temporary folder (``StylesPath`` = the Google
package in tests/fixtures/vale-google, ``[*.md] BasedOnStyles = Google``), and
markdown files of about 1,500 words each made from the railway docs corpus
(real pages: headings, lists, tables, code blocks, links). Prints the time to
load the configuration (compiling every rule, once) and the time to lint each
file with it (median and worst of --rounds runs per file), with the findings.

Target: well under 500 ms per 1,500-word file.

    python bench/bench_vale.py [--files 10] [--words 1500] [--rounds 5]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from kurt.checks.vale import lint, load_config

REPO = Path(__file__).resolve().parents[1]
GOOGLE = REPO / "tests" / "fixtures" / "vale-google"
CORPUS = REPO / "tests" / "fixtures" / "corpora" / "railway-docs"


def corpus_pages() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.md"))]


def make_files(folder: Path, count: int, words: int) -> list[Path]:
    """Files of about ``words`` words: whole corpus pages concatenated until long enough."""
    pages = corpus_pages()
    files, page = [], 0
    for index in range(count):
        parts, total = [], 0
        while total < words:
            text = pages[page % len(pages)]
            page += 1
            parts.append(text)
            total += len(text.split())
        body = "\n\n".join(parts)
        ends = [m.end() for m in re.finditer(r"\S+", body)]
        cut = body[: ends[min(words, len(ends)) - 1]]  # the first `words` words, layout kept
        path = folder / f"draft-{index:02d}.md"
        path.write_text(cut, encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / ".vale.ini").write_text(
            f"StylesPath = {GOOGLE}\nMinAlertLevel = suggestion\n\n[*.md]\nBasedOnStyles = Google\n",
            encoding="utf-8")
        files = make_files(folder, args.files, args.words)

        started = time.perf_counter()
        config = load_config(folder / ".vale.ini")
        load_ms = (time.perf_counter() - started) * 1000
        print(f"load .vale.ini + compile {len(config.rules)} Google rules: {load_ms:.1f} ms")

        per_file, rules = [], Counter()
        for path in files:
            times = []
            for _ in range(args.rounds):
                started = time.perf_counter()
                findings = lint(path, config)
                times.append((time.perf_counter() - started) * 1000)
            rules.update(f.name for f in findings)
            words = len(path.read_text(encoding="utf-8").split())
            per_file.append(statistics.median(times))
            print(f"{path.name}: {words} words, {len(findings)} findings, "
                  f"median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms")
        print(f"per file: median {statistics.median(per_file):.1f} ms, "
              f"worst {max(per_file):.1f} ms (target: well under 500 ms)")
        print("findings by rule:", ", ".join(f"{k} {v}" for k, v in rules.most_common()))


if __name__ == "__main__":
    main()
