"""``check``: run the selected rules on drafts and gather what they find into a ``CheckReport``.

    report = check(workspace, ["projects/launch"], CheckOptions(rules=("structure",)), store=store)
    report.findings        # sorted by file, line, column
    report.exit_code       # 1 with errors (with strict: warnings too), else 0

Targets are project names (a bare name of a project wins: write ``./NAME`` for a
folder of that name), draft files, and folders (every draft under them; outside
``projects/`` every markdown file); none means every draft of the workspace. A file is read once into a ``DraftContext``; each family of rules
(kurt.checks.registry) reads it; kurt.toml's severities, ``--rule``/``--skip``
and the draft's inline suppressions (kurt.checks.suppress) decide what is kept.
Checking never writes to a draft.
"""

from __future__ import annotations

import gc
import importlib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from kurt.checks import suppress
from kurt.checks.context import Shared, build_context
from kurt.checks.corpus import Corpus
from kurt.checks.finding import Finding, sort_key
from kurt.checks.registry import families
from kurt.checks.selection import OFF, Selection
from kurt.errors import UsageError

MARKDOWN = (".md", ".mdx", ".markdown")
SKIPPED_DIRS = frozenset({".kurt", ".git", "node_modules", "__pycache__"})
COLLECT_EVERY = 25  # files between two collections of young objects while the collector is paused


@dataclass
class CheckOptions:
    rules: tuple[str, ...] = ()  # --rule: families or ids (only these run)
    skip: tuple[str, ...] = ()  # --skip
    check_links: bool | None = None  # None: kurt.toml [checks] check_links
    strict: bool | None = None  # None: kurt.toml [checks] strict
    judge: object | None = None  # grounding/claim's LLM judge (kurt.checks.grounding.judge)
    analysis_cache: bool = True  # False: neither read nor write .kurt/checks-cache.sqlite
    jobs: int = 1  # processes checking files side by side (0: one per core; see ``workers``)


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # checked, relative to the workspace
    suppressed: int = 0  # findings silenced by <!-- kurt: ignore ... --> comments
    notices: list[str] = field(default_factory=list)  # what Kurt could not do as configured
    strict: bool = False
    stats: dict = field(default_factory=dict)  # e.g. "analysis_cache": hits, misses, written

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def infos(self) -> int:
        return self.count("info")

    @property
    def exit_code(self) -> int:
        """1 when there are errors (or, strict, warnings), else 0."""
        return 1 if self.errors or (self.strict and self.warnings) else 0

    def summary(self) -> dict:
        return {
            "files": len(self.files),
            "errors": self.errors,
            "warnings": self.warnings,
            "info": self.infos,
            "suppressed": self.suppressed,
            "rules": dict(sorted(Counter(f.rule for f in self.findings).items())),
            "exit_code": self.exit_code,
        }


# -- what to check ---------------------------------------------------------------------

def _markdown_under(folder: Path, drafts_only: bool) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative):
            continue
        if not path.is_file() or path.suffix.lower() not in MARKDOWN:
            continue
        if drafts_only and path.parent.name != "drafts":
            continue
        found.append(path)
    return found


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def resolve_targets(ws, targets) -> list[Path]:
    """The files ``targets`` name (see the module doc); UsageError for one that names nothing."""
    projects = ws.projects_dir
    if not targets:
        return _markdown_under(projects, True) if projects.is_dir() else []
    files: list[Path] = []
    for raw in targets:
        text = str(raw).strip()
        if not text:
            raise UsageError("Give a draft file, a folder or a project name")
        if "/" not in text and "\\" not in text and (projects / text).is_dir():
            files += _markdown_under((projects / text).resolve(), True)  # a project name wins
            continue
        candidates = [Path(text)] if Path(text).is_absolute() else [Path.cwd() / text,
                                                                     ws.root / text]
        found = next((c for c in candidates if c.exists()), None)
        if found is not None and found.is_file():
            files.append(found.resolve())
        elif found is not None and found.is_dir():
            files += _markdown_under(found.resolve(), _inside(found, projects))
        else:
            stem = text[:-3] if text.endswith(".md") else text
            named = sorted(projects.glob(f"*/drafts/{stem}.md")) if "/" not in stem else []
            if not named:
                raise UsageError(f"No file, folder or project '{text}': give a draft file, a "
                                 "folder, or a project name (see 'kurt project list')")
            files += [p.resolve() for p in named]
    return list(dict.fromkeys(files))


# -- running ---------------------------------------------------------------------------------

def check(ws, targets=(), options: CheckOptions | None = None, *, store=None, config=None
          ) -> CheckReport:
    """Check the files ``targets`` name; ``store`` is the workspace's store (None: no
    source resolves); ``config`` a ``ChecksConfig`` (default: the workspace's kurt.toml)."""
    options = options or CheckOptions()
    config = config if config is not None else ws.config.checks
    selection = Selection.build(options.rules, options.skip, config)
    check_links = config.check_links if options.check_links is None else options.check_links
    strict = config.strict if options.strict is None else options.strict
    files = resolve_targets(ws, targets)
    shared = Shared(ws=ws, corpus=Corpus(ws, store), config=config,
                    check_links=bool(check_links), selection=selection, judge=options.judge,
                    analysis_cache=options.analysis_cache,
                    jobs=cores(options.jobs) if options.judge is None else 1)
    running = [family for family in families() if selection.family_runs(family)]
    running.sort(key=lambda family: family.background)  # checked last: see Family
    report = CheckReport(strict=bool(strict))
    seen: set[tuple] = set()
    with _collector_paused() as paused:
        contexts = [build_context(shared, path) for path in files]
        for family in sorted(running, key=lambda family: not family.background):
            family.prepare(contexts)  # the background work first
        count = workers(shared.jobs, len(contexts))
        if count < 2 or not _check_forked(contexts, running, selection, report, seen, count):
            _check_files(contexts, running, selection, report, seen, collect=paused)
        report.findings.sort(key=sort_key)
        for close in shared.cache.get("close", ()):
            close()
        report.stats = dict(shared.cache.get("stats", {}))
        report.notices = list(dict.fromkeys(shared.cache.get("notices", []) + report.notices))
        shared.cache.clear()  # the run's analyses freed before the collector runs again
        del contexts
    return report


# -- several processes -------------------------------------------------------------------

FILES_PER_WORKER = 3  # fewer files than this per process: one process checks them all


def cores(jobs: int) -> int:
    """The processes ``jobs`` asks for: itself, or (0) one per usable core."""
    import os

    if jobs > 0:
        return jobs
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1


def workers(jobs: int, files: int) -> int:
    """How many processes check ``files`` files: ``jobs`` (0: one per usable core), at most
    one per ``FILES_PER_WORKER`` files, so a small run is not slowed by starting processes."""
    if jobs == 1 or files < 2 * FILES_PER_WORKER:
        return 1
    return max(1, min(cores(jobs), files // FILES_PER_WORKER))


_RUN: tuple | None = None  # what a forked worker checks: set by the parent before forking
_INHERITED: list = []  # the parent's connections a worker leaves alone (never closes)


def _check_forked(contexts, running, selection, report: CheckReport, seen: set,
                  count: int) -> bool:
    """Check ``contexts`` in ``count`` forked processes, each one a share of them:
    the contexts, the run's caches and the sources' analyses (read by ``prepare``) are the
    parent's, inherited; each worker opens its own store and analysis-cache connections (a
    connection must not cross a fork). Their findings go into ``report``. False where
    processes cannot be forked (the caller checks the files itself)."""
    from kurt.checks.forking import fork_context

    global _RUN
    context = fork_context()
    if context is None:
        return False
    shares = _shares(contexts, count)
    for family in running:  # imported once, before the fork, not once per worker
        importlib.import_module(family.module)
    _RUN = (shares, running, selection)
    try:
        with context.Pool(len(shares)) as pool:
            parts = pool.map(_check_share, range(len(shares)), chunksize=1)
    finally:
        _RUN = None
    order = {ctx.rel: i for i, ctx in enumerate(contexts)}
    for part in parts:
        report.suppressed += part.suppressed
        report.notices += part.notices
        for finding in part.findings:
            key = (finding.path, finding.line, finding.column, finding.rule, finding.message)
            if key not in seen:
                seen.add(key)
                report.findings.append(finding)
    report.files += sorted((rel for part in parts for rel in part.files), key=order.__getitem__)
    return True


def _shares(contexts: list, count: int) -> list[list]:
    """``contexts`` split into ``count`` shares of about the same size (largest draft first
    to the lightest share), each in the run's order."""
    loads = [0] * count
    shares: list[list[int]] = [[] for _ in range(count)]
    for index in sorted(range(len(contexts)), key=lambda i: -len(contexts[i].text or "")):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += len(contexts[index].text or "") + 1
    return [[contexts[i] for i in sorted(share)] for share in shares if share]


def _check_share(number: int) -> CheckReport:
    """In a forked worker: check one share of the contexts, with connections of its own."""
    shares, running, selection = _RUN
    shared = shares[number][0].shared
    _reconnect(shared)
    notices = shared.cache.setdefault("notices", [])
    known = len(notices)
    report = CheckReport()
    try:
        _check_files(shares[number], running, selection, report, set(), collect=False)
        for close in shared.cache.get("close", ()):
            close()
    finally:
        if shared.corpus.store is not None:
            shared.corpus.store.close()
    report.notices = notices[known:]
    return report


def _reconnect(shared) -> None:
    """A worker's own store and analysis-cache connections; the parent's are kept (not
    closed: closing a forked copy of a connection is the parent's business)."""
    corpus = shared.corpus
    if corpus.store is not None:
        _INHERITED.append(corpus.store)
        corpus.store = shared.ws.open_store()
    stored = shared.cache.get("analysis")
    if stored is not None and stored.enabled:
        _INHERITED.append(stored.reopen())  # a file it cannot open: no cache in this worker


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused for a run. A run builds hundreds of
    thousands of long-lived objects (the sources' windows and facts, kept for every draft)
    and almost no cycles (about a thousand objects a draft): the automatic collector kept
    scanning them all again, a sixth of a first run's time. Reference counting still frees
    what a run drops; a young collection every ``COLLECT_EVERY`` files frees the few cycles
    of a long run."""
    if not gc.isenabled():  # the caller manages it
        yield False
        return
    gc.disable()
    try:
        yield True
    finally:
        gc.enable()


def _check_files(contexts, running, selection, report: CheckReport, seen: set, *,
                 collect: bool) -> None:
    for number, ctx in enumerate(contexts):
        report.files.append(ctx.rel)
        silenced = _suppressions(ctx)
        for family in running:
            for finding in family.run(ctx) or ():
                kept = _keep(finding, selection, silenced, ctx.rel)
                if kept is None:
                    continue
                if kept is _SILENCED:
                    report.suppressed += 1
                    continue
                key = (kept.path, kept.line, kept.column, kept.rule, kept.message)
                if key not in seen:
                    seen.add(key)
                    report.findings.append(kept)
        if collect and (number + 1) % COLLECT_EVERY == 0:
            gc.collect(0)  # the young objects of the last files: the cycles they made


_SILENCED = object()


def _suppressions(ctx) -> suppress.Suppressions:
    if not ctx.text:
        return suppress.Suppressions()
    yaml_lines = (ctx.yaml_first_line, ctx.yaml_last_line) if ctx.has_frontmatter else None
    return suppress.parse(ctx.text, body_line=ctx.body.first_line if ctx.body else 1,
                          yaml_lines=yaml_lines)


def _keep(finding: Finding, selection: Selection, silenced, path: str):
    """The finding with its configured severity; None when its rule is off; _SILENCED when a
    comment of the draft silences it."""
    if not selection.runs(finding.rule):
        return None
    severity = selection.severity_of(finding.rule, finding.severity)
    if severity == OFF:
        return None
    if finding.path == path and silenced.silences(finding.rule, finding.line):
        return _SILENCED
    return finding if severity == finding.severity else replace(finding, severity=severity)


STORE_FAMILIES = ("sources", "code", "links", "grounding")


def needs_store(options: CheckOptions | None, config) -> bool:
    """Whether the selected rules read the store (a style-only run does not open it)."""
    options = options or CheckOptions()
    selection = Selection.build(options.rules, options.skip, config)
    return any(selection.family_runs(f) for f in families() if f.name in STORE_FAMILIES)
