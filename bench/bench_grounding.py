"""Benchmark the grounding checks (grounding/specific, grounding/claim) on drafts with planted errors.

The corpus (bench/checks_corpus/drafts/*.md) holds Kurt drafts written against
real pages of the railway documentation corpus (tests/fixtures/corpora/railway-docs,
MIT): correct sentences paraphrased from the sources, and planted errors marked
``⟦text⟧{kind}``: a changed number, limit, price, duration, size, percentage,
version or date, a wrong endpoint, HTTP method, command, flag, scope, variable,
configuration key, identifier or URL, a swapped technology or company name
(all for grounding/specific), or a whole sentence no source supports
(``{claim}``, for grounding/claim). The script strips the marks, records each
label's line and columns, loads the corpus into a fresh workspace (each draft
in its own project) and runs the checks.

It prints, for the dev half (odd-numbered drafts 1-19, used to tune), the test
half (even-numbered drafts 2-18), the fresh drafts (20 and up, written after the
tuning was finished, never looked at while tuning), the unseen drafts (24-25), the new
drafts (26-28, third round), the fourth-round drafts (29-31), the fifth-round drafts (32-35,
written blind to the checker), the sixth-round drafts (36-43, two more writers, blind too), the
seventh-round drafts (44-51, two more blind writers, run once at the end), the eighth-round drafts (52-59,
two more blind writers), the ninth-round drafts (60-67, never read, run once at the end), the
tenth to seventeenth sets (68-131, four blind writers per pair of sets: the first read while
tuning, the second never read), the eighteenth set (132-137, three blind writers on the last
pages no draft used, listed once at the end of its round), the nineteenth set (138-143, three
blind writers on pages one earlier draft used, never read: --verbose lists its misses only
with --split nineteenth), the held-out sets together, and all drafts; then, apart from all
of those, the ``nodejs`` set (bench/checks_corpus/drafts-nodejs/n*.md): drafts by two more
blind writers against ten pages of the Node.js API reference
(bench/checks_corpus/nodejs-api, MIT), a corpus of another shape that no rule was written
for (its misses are listed only with --split nodejs):

- grounding/specific: recall of planted wrong specifics, per kind; precision;
  false alarms (findings on no planted error) per 1,000 words of correct prose;
- grounding/claim: balanced accuracy on unsupported (planted) vs supported
  (no planted error) sentences, its recall and specificity, and its false
  alarms per 1,000 words;
- timing: a 1,500-word draft against 50 sources (target <= 2 s) and 20 drafts
  with their sections built from the workspace (target <= 10 s).

    python bench/bench_grounding.py [--embed] [--verbose] [--split dev|test|all]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "fixtures" / "corpora" / "railway-docs"
DRAFTS = REPO / "bench" / "checks_corpus" / "drafts"
NODE_CORPUS = REPO / "bench" / "checks_corpus" / "nodejs-api"  # stored as sources/nodejs.org/
NODE_DRAFTS = REPO / "bench" / "checks_corpus" / "drafts-nodejs"
NODE2_FROM = 7  # n07 and up: a third blind writer (fourteenth round), never read: --verbose
#                lists their misses only with --split nodejs2
FRESH_FROM = 20  # drafts 20 and up were written after the tuning was done: never tuned on
UNSEEN_FROM = 24  # drafts 24 and up were written before the value-attribution work (issue 9,
#                   second round) and never looked at while doing it: the honest held-out set
NEW_FROM = 26  # drafts 26 and up were written for the third round (issue 9), committed before
#                any checking code changed and measured once as unseen
FOURTH_FROM = 29  # drafts 29 and up were written for the fourth round (issue 9, checks10),
#                   committed before any recall change and measured once as unseen
FIFTH_FROM = 32  # drafts 32 and up were written for the fifth round by a writer who never read
#                  the checker's code or its results, committed before any change of that round
SIXTH_FROM = 36  # drafts 36-43: two more blind writers, committed while the fifth round's changes
#                  were made and run once only after them
SEVENTH_FROM = 44  # drafts 44-51: two more blind writers, committed while the sixth round's
#                    changes were made and run once only after all of them
EIGHTH_FROM = 52  # drafts 52-59: two more blind writers (eighth round), committed before any
#                   change of that round was measured on them; read while making the changes
NINTH_FROM = 60  # drafts 60-67: two more blind writers, committed with the eighth set and never
#                  read during the seventh round; run with details once at its end
TENTH_FROM = 68  # drafts 68-75: four more blind writers (eighth round of changes, on pages no
#                  earlier draft used, guides among them); read while making that round's changes
ELEVENTH_FROM = 76  # drafts 76-83: the same four writers' second pair, committed with the tenth
#                     set and never read: --verbose leaves their misses out unless
#                     --split eleventh is asked for (it was, at the end of that round)
TWELFTH_FROM = 84  # drafts 84-91: four more blind writers (ninth round of changes, on pages no
#                    earlier draft used: comparisons, framework and operations guides, AI guides);
#                    read while making that round's changes
THIRTEENTH_FROM = 92  # drafts 92-99: the same writers' second pair, never read during the ninth
#                       round of changes; listed once at its end
FOURTEENTH_FROM = 100  # drafts 100-107: four more blind writers (tenth round of changes, on pages
#                        no earlier draft used: frontend, Go/Rust/JVM/JS backends, AI app
#                        guides, platform overviews); read while making that round's changes
FIFTEENTH_FROM = 108  # drafts 108-115: the same writers' second pair, never read: --verbose
#                       leaves their misses out unless --split fifteenth is asked for (it was,
#                       at the end of the tenth round)
SIXTEENTH_FROM = 116  # drafts 116-123: four more blind writers (eleventh round of changes, on
#                       pages no earlier draft used: JS backends and realtime, networking and
#                       secrets, AI and observability, templates, CMSs and comparisons); read
#                       while making that round's changes
SEVENTEENTH_FROM = 124  # drafts 124-131: the same writers' second pair, never read while
#                         making the eleventh round's changes (listed once at its end)
EIGHTEENTH_FROM = 132  # drafts 132-137: three more blind writers (twelfth round) on the last
#                        pages no draft used (CLI commands, AI plugins and access, builds and
#                        templates), never read: --verbose leaves their misses out unless
#                        --split eighteenth is asked for (it was, at the end of the twelfth round)
NINETEENTH_FROM = 138  # drafts 138-143: three more blind writers (thirteenth round) on pages one
#                        earlier draft used (CDN and domains, highly available databases and
#                        backups, plans and enterprise access), never read: --verbose leaves
#                        their misses out unless --split nineteenth is asked for
MARK = re.compile(r"⟦(.*?)⟧\{([a-z-]+)\}", re.DOTALL)  # a mark may wrap over lines
SPECIFIC_KINDS = ("number", "limit", "price", "duration", "size", "percent", "version", "date",
                  "endpoint", "http-method", "command", "flag", "scope", "env-var", "config-key",
                  "identifier", "url", "technology", "company", "name")


@dataclass
class Label:
    line: int
    start: int  # 1-based column of the first character
    end: int  # 1-based column of the last character
    kind: str
    text: str

    @property
    def rule(self) -> str:
        return "grounding/claim" if self.kind == "claim" else "grounding/specific"


@dataclass
class Draft:
    name: str
    split: str
    text: str
    labels: list[Label] = field(default_factory=list)


def read_draft(path: Path) -> Draft:
    """Strip the marks of one corpus draft and record its labels."""
    node = int(path.name[1:].split("-")[0]) if path.name.startswith("n") else 0
    number = 0 if node else int(path.name.split("-")[0])
    split = ("nodejs2" if node >= NODE2_FROM else "nodejs") if node else "nineteenth" if number >= NINETEENTH_FROM else \
        "eighteenth" if number >= EIGHTEENTH_FROM else \
        "seventeenth" if number >= SEVENTEENTH_FROM else "sixteenth" if number >= \
        SIXTEENTH_FROM else "fifteenth" if number >= FIFTEENTH_FROM else "fourteenth" if number >= \
        FOURTEENTH_FROM else "thirteenth" if number >= THIRTEENTH_FROM else "twelfth" if number >= TWELFTH_FROM \
        else "eleventh" if number >= ELEVENTH_FROM else "tenth" if number >= TENTH_FROM else \
        "ninth" if number >= NINTH_FROM else "eighth" if number >= EIGHTH_FROM else \
        "seventh" if number >= SEVENTH_FROM else "sixth" if number >= SIXTH_FROM else "fifth" if number >= FIFTH_FROM else "fourth" if number >= FOURTH_FROM else "new" if number >= NEW_FROM else "unseen" if number >= UNSEEN_FROM else \
        "fresh" if number >= FRESH_FROM else ("dev" if number % 2 else "test")
    draft = Draft(path.stem, split, "")
    raw = path.read_text(encoding="utf-8")
    out, last = [], 0
    for match in MARK.finditer(raw):
        out.append(raw[last:match.start()])
        text, kind = match.group(1), match.group(2)
        if kind not in SPECIFIC_KINDS and kind != "claim":
            line_no = raw.count("\n", 0, match.start()) + 1
            raise SystemExit(f"{path.name}:{line_no}: unknown label kind '{kind}'")
        before = "".join(out)
        line_no = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        first = text.split("\n", 1)[0]  # a wrapped mark is labelled on its first line
        draft.labels.append(Label(line_no, column, column + len(first) - 1, kind,
                                  " ".join(text.split())))
        out.append(text)
        last = match.end()
    out.append(raw[last:])
    draft.text = "".join(out)
    return draft


def overlaps(label: Label, line: int, column: int, end_line: int | None,
             end_column: int | None) -> bool:
    end_line = end_line or line
    end_column = end_column or column
    if not (line <= label.line <= end_line):
        return False
    first = column if line == label.line else 1
    last = end_column if end_line == label.line else 10**9
    return first <= label.end and label.start <= last


def make_workspace(root: Path, drafts: list[Draft]):
    """A workspace holding the railway corpus and one project per draft."""
    sys.path.insert(0, str(REPO / "tests"))
    from conftest import load_corpus

    from kurt.workspace import init_workspace

    ws = init_workspace(root).workspace
    load_corpus(ws, CORPUS, index=False)
    load_corpus(ws, NODE_CORPUS, "https://nodejs.org", index=False)
    paths = {}
    for draft in drafts:
        folder = ws.root / "projects" / draft.name / "drafts"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{draft.name}.md"
        target.write_text(draft.text, encoding="utf-8")
        paths[draft.name] = target
    return ws, paths


@dataclass
class Scores:
    planted: Counter = field(default_factory=Counter)
    caught: Counter = field(default_factory=Counter)
    specific_findings: int = 0
    specific_false: int = 0
    claim_findings: int = 0
    claim_false: int = 0
    words: int = 0  # words of correct prose
    supported: int = 0
    supported_flagged: int = 0
    unsupported: int = 0
    unsupported_flagged: int = 0
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)


def score(draft: Draft, findings, scores: Scores) -> None:
    from kurt.checks.grounding.prose import read_prose

    specific = [f for f in findings if f.rule == "grounding/specific"]
    claims = [f for f in findings if f.rule == "grounding/claim"]
    for label in draft.labels:
        if label.kind == "claim":
            continue
        scores.planted[label.kind] += 1
        if any(overlaps(label, f.line, f.column, f.end_line, f.end_column) for f in specific):
            scores.caught[label.kind] += 1
        else:
            scores.misses.append(f"{draft.name}:{label.line}:{label.start} {label.kind} "
                                 f"{label.text!r}")
    for group, name in ((specific, "specific"), (claims, "claim")):
        for finding in group:
            hit = any(overlaps(label, finding.line, finding.column, finding.end_line,
                               finding.end_column) for label in draft.labels)
            setattr(scores, f"{name}_findings", getattr(scores, f"{name}_findings") + 1)
            if not hit:
                setattr(scores, f"{name}_false", getattr(scores, f"{name}_false") + 1)
                scores.false_alarms.append(f"{draft.name}:{finding.line}:{finding.column} "
                                           f"{finding.rule} {finding.message}")
    prose = read_prose(draft.text)
    for unit in prose.units:
        if unit.kind == "heading":
            continue
        line, column, end_line, end_column = prose.span(unit, 0, len(unit.text))
        planted = [lb for lb in draft.labels if overlaps(lb, line, column, end_line, end_column)]
        if not planted:
            if unit.kind != "command":  # a command of a shell block is code, not prose
                scores.words += len(unit.prose().split())
        if unit.kind != "sentence":
            continue
        flagged = any(overlaps_finding(f, line, column, end_line, end_column) for f in claims)
        if any(lb.kind == "claim" for lb in planted):
            scores.unsupported += 1
            scores.unsupported_flagged += flagged
        elif not planted:
            scores.supported += 1
            scores.supported_flagged += flagged


def overlaps_finding(finding, line, column, end_line, end_column) -> bool:
    label = Label(finding.line, finding.column, finding.end_column or finding.column, "", "")
    return overlaps(label, line, column, end_line, end_column)


def report(title: str, s: Scores) -> None:
    planted = sum(s.planted.values())
    caught = sum(s.caught.values())
    print(f"\n== {title}")
    print(f"grounding/specific: {caught}/{planted} planted wrong specifics caught "
          f"({pct(caught, planted)}); precision {pct(s.specific_findings - s.specific_false, s.specific_findings)} "
          f"({s.specific_findings} findings, {s.specific_false} false alarms); "
          f"{per_k(s.specific_false, s.words)} false alarms per 1,000 words "
          f"({s.words} words of correct prose)")
    kinds = sorted(s.planted, key=lambda k: SPECIFIC_KINDS.index(k))
    print("  per kind: " + ", ".join(f"{k} {s.caught[k]}/{s.planted[k]}" for k in kinds))
    tpr = s.unsupported_flagged / s.unsupported if s.unsupported else 0.0
    tnr = 1 - s.supported_flagged / s.supported if s.supported else 0.0
    print(f"grounding/claim: balanced accuracy {(tpr + tnr) / 2:.3f} (recall {tpr:.3f} on "
          f"{s.unsupported} unsupported sentences, specificity {tnr:.3f} on {s.supported} "
          f"supported); precision {pct(s.claim_findings - s.claim_false, s.claim_findings)}; "
          f"{per_k(s.claim_false, s.words)} false alarms per 1,000 words")


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "n/a"


def per_k(count: int, words: int) -> str:
    return f"{1000 * count / words:.2f}" if words else "n/a"


def timing(ws, drafts: list[Draft], paths: dict, vocabulary, embedder) -> None:
    from kurt.checks.grounding import check_grounding
    from kurt.checks.passages import Passage, SectionSources, file_passages
    from kurt.checks.section_sources import draft_sections
    from kurt.index.vocabulary import load_vocabulary

    # A 1,500-word draft against 50 sources: drafts joined, every section relying on 50 files.
    body = "\n\n".join(d.text.split("\n---\n", 1)[1] for d in drafts)
    words = body.split()
    ends = [m.end() for m in re.finditer(r"\S+", body)]
    text = body[:ends[min(1500, len(words)) - 1]]
    sources = sorted(p.relative_to(ws.root).as_posix() for p in (ws.root / "sources").rglob("*.md"))
    chosen = sources[::max(1, len(sources) // 50)][:50]
    passages: list[Passage] = []
    for path in chosen:
        passages += file_passages(path, (ws.root / path).read_text(encoding="utf-8"))
    sections = [SectionSources(1, text.count("\n") + 1, None, passages)]
    runs, cpu = [], []
    for _ in range(5):
        started, started_cpu = time.perf_counter(), time.process_time()
        check_grounding(text, "bench.md", sections, vocabulary=vocabulary, embedder=embedder)
        runs.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(f"\ntiming (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores): "
          f"a {len(text.split())}-word draft against {len(chosen)} sources "
          f"({len(passages)} passages): median {statistics.median(runs):.2f} s "
          f"(CPU {statistics.median(cpu):.2f} s), worst {max(runs):.2f} s (target <= 2 s)")
    # 20 drafts: vocabulary, sections from the workspace, both rules.
    twenty = (drafts * 2)[:20]
    started, started_cpu = time.perf_counter(), time.process_time()
    vocab = load_vocabulary(ws)
    store = ws.open_store()
    for draft in twenty:
        path = paths[draft.name]
        sections = draft_sections(ws, path, store)
        check_grounding(draft.text, str(path.relative_to(ws.root)), sections, vocabulary=vocab,
                        embedder=embedder)
    store.close()
    total = time.perf_counter() - started
    total_cpu = time.process_time() - started_cpu
    print(f"timing: {len(twenty)} drafts ({sum(len(d.text.split()) for d in twenty)} words), "
          f"vocabulary, sections and both rules: {total:.2f} s (CPU {total_cpu:.2f} s; "
          f"target <= 10 s)")


def _shown(line: str, split: str | None) -> bool:
    """A miss or false alarm is listed unless it is in the never-read nineteenth set (which
    only ``--split nineteenth`` lists, once, at the end of its round) or in the ``nodejs``
    set (only ``--split nodejs``)."""
    head = line.split("-", 1)[0]
    if head.startswith("n"):
        return split == ("nodejs2" if int(head[1:]) >= NODE2_FROM else "nodejs")
    return split == "nineteenth" or int(head) < NINETEENTH_FROM


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", action="store_true",
                        help="blend in the local MiniLM embeddings for grounding/claim")
    parser.add_argument("--verbose", action="store_true", help="list misses and false alarms")
    parser.add_argument("--split", choices=("dev", "test", "fresh", "unseen", "new", "fourth",
                                            "fifth", "sixth", "seventh", "eighth", "ninth",
                                            "tenth", "eleventh", "twelfth", "thirteenth",
                                            "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                                            "eighteenth", "nineteenth",
                                            "held-out", "all", "nodejs", "nodejs2",
                                            "nodejs-all"),
                        default=None,
                        help="only print this half")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--timing-only", action="store_true", help="skip the quality figures")
    args = parser.parse_args()

    from kurt.checks.grounding import check_grounding
    from kurt.checks.section_sources import draft_sections
    from kurt.index.vocabulary import load_vocabulary

    drafts = [read_draft(p) for p in sorted(DRAFTS.glob("*.md"))] + \
        [read_draft(p) for p in sorted(NODE_DRAFTS.glob("n*.md"))]
    embedder = None
    if args.embed:
        from kurt.index.encoders import load_model

        embedder = load_model()
    with tempfile.TemporaryDirectory() as tmp:
        ws, paths = make_workspace(Path(tmp) / "ws", drafts)
        vocabulary = load_vocabulary(ws)
        scores = defaultdict(Scores)
        store = ws.open_store()
        for draft in [] if args.timing_only else drafts:
            path = paths[draft.name]
            sections = draft_sections(ws, path, store)
            findings = check_grounding(draft.text, str(path.relative_to(ws.root)), sections,
                                       vocabulary=vocabulary, embedder=embedder)
            keys = [draft.split, "nodejs-all"] if draft.split.startswith("nodejs") else \
                [draft.split, "all"] + (["held-out"] if draft.split != "dev" else [])
            for key in keys:
                score(draft, findings, scores[key])
        store.close()
        if args.timing_only:
            timing(ws, drafts, paths, vocabulary, embedder)
            return
        railway = [d for d in drafts if not d.split.startswith("nodejs")]
        labels = sum(len(d.labels) for d in railway)
        print(f"corpus: {len(railway)} drafts, {labels} planted errors "
              f"({sum(1 for d in railway for lb in d.labels if lb.kind != 'claim')} specifics, "
              f"{sum(1 for d in railway for lb in d.labels if lb.kind == 'claim')} unsupported "
              f"sentences), {scores['all'].words} words of correct prose (and "
              f"{len(drafts) - len(railway)} Node.js drafts); claim scoring "
              f"{'lexical + MiniLM' if embedder else 'lexical only'}")
        for key, title in (("dev", "dev half (tuning)"), ("test", "test half (held out)"),
                           ("fresh", "fresh drafts (written after the first tuning)"),
                           ("unseen", "unseen drafts (written before the second round, never "
                                      "looked at during it)"),
                           ("new", "new drafts (written for the third round, before any change)"),
                           ("fourth", "fourth-round drafts (written before any change of that "
                                      "round)"),
                           ("fifth", "fifth-round drafts (written blind to the checker, before "
                                     "any change of that round)"),
                           ("sixth", "sixth-round drafts (two more blind writers)"),
                           ("seventh", "seventh-round drafts (two more blind writers, run once at "
                                       "the end)"),
                           ("eighth", "eighth-round drafts (two more blind writers, read while "
                                      "making that round's changes)"),
                           ("ninth", "ninth-round drafts (two more blind writers, never read "
                                     "during the seventh round)"),
                           ("tenth", "tenth-round drafts (four more blind writers, read while "
                                     "making the eighth round's changes)"),
                           ("eleventh", "eleventh-round drafts (the same writers, never read "
                                        "during the eighth round)"),
                           ("twelfth", "twelfth-round drafts (four more blind writers, read while "
                                       "making the ninth round's changes)"),
                           ("thirteenth", "thirteenth-round drafts (the same writers, never read "
                                          "during the ninth round)"),
                           ("fourteenth", "fourteenth-round drafts (four more blind writers, read "
                                          "while making the tenth round's changes)"),
                           ("fifteenth", "fifteenth-round drafts (the same writers, never read "
                                         "during the tenth round)"),
                           ("sixteenth", "sixteenth-round drafts (four more blind writers, read "
                                         "while making the eleventh round's changes)"),
                           ("seventeenth", "seventeenth-round drafts (the same writers, never "
                                           "read during the eleventh round)"),
                           ("eighteenth", "eighteenth-round drafts (three more blind writers on "
                                          "the last unused pages)"),
                           ("nineteenth", "nineteenth-round drafts (three more blind writers, "
                                          "never read)"),
                           ("held-out", "held out: test half, fresh, unseen, new, fourth- to "
                                        "nineteenth-round drafts"),
                           ("all", "all drafts"),
                           ("nodejs", "Node.js API drafts (another corpus, two more blind "
                                      "writers, read while making the fourteenth round)"),
                           ("nodejs2", "Node.js API drafts, second set (a third blind writer, "
                                       "never read)"),
                           ("nodejs-all", "all Node.js API drafts")):
            if args.split in (None, key):
                report(title, scores[key])
                if args.verbose:
                    for line in scores[key].misses:
                        if _shown(line, args.split):
                            print("  MISS", line)
                    for line in scores[key].false_alarms:
                        if _shown(line, args.split):
                            print("  FALSE", line)
        if not args.no_timing:
            timing(ws, drafts, paths, vocabulary, embedder)


if __name__ == "__main__":
    main()
