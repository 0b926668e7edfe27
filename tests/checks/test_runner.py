"""The runner: targets, bad input, severities, suppressions, exit codes; nothing is written."""

import pytest

from kurt.checks.runner import resolve_targets
from kurt.errors import UsageError
from tests.checks.conftest import BODY, DRAFT, FRONTMATTER, replace


def snapshot(root):
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and ".kurt" not in p.parts}


def test_the_valid_draft_passes_and_nothing_is_written(checks):
    checks.write()
    before = snapshot(checks.ws.root)
    report = checks.run(body=None)
    assert report.errors == report.warnings == 0 and report.exit_code == 0
    assert report.files == [DRAFT]
    assert snapshot(checks.ws.root) == before


def test_errors_fail_and_strict_fails_on_warnings_too(checks):
    assert checks.run(BODY + "\nConnect [Partner].\n").exit_code == 1
    body = BODY.replace("## Limits", "## Limits\n\n## Setup")  # an extra heading: no error
    warned = BODY + "\nSee [limits](#quotas).\n"
    assert checks.run(warned).exit_code == 0
    strict = checks.config(strict=True)
    assert checks.run(warned, config=strict).exit_code == 1
    assert checks.run(body).errors == 0


def test_a_severity_override_changes_the_exit_code(checks):
    body = BODY + "\nSee [limits](#quotas).\n"
    report = checks.run(body, config=checks.config(severity={"links/anchor": "error"}))
    assert [(f.rule, f.severity) for f in report.findings if f.rule.startswith("links")] == [
        ("links/anchor", "error")]
    assert report.exit_code == 1
    off = checks.run(body, config=checks.config(severity={"links": "off"}))
    assert not [f for f in off.findings if f.rule.startswith("links")]


def test_a_file_level_ignore_counts_what_it_silences(checks):
    body = "<!-- kurt: ignore-file structure -->\n" + BODY + "\nConnect [Partner]. TODO\n"
    report = checks.run(body)
    assert report.errors == 0 and report.suppressed == 2


@pytest.mark.parametrize("content,message", [
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "a binary file"),
    (b"caf\xe9 au lait\n", "not UTF-8"),
])
def test_a_file_that_is_not_text_is_one_finding(checks, content, message):
    (checks.ws.root / DRAFT).parent.mkdir(parents=True, exist_ok=True)
    (checks.ws.root / DRAFT).write_bytes(content)
    report = checks.run(body=None)
    assert [f.rule for f in report.findings] == ["file/unreadable"]
    assert message in report.findings[0].message


def test_a_folder_reads_markdown_and_leaves_other_files(checks, monkeypatch):
    monkeypatch.chdir(checks.ws.root)
    drafts = checks.ws.root / "projects/p/drafts"
    checks.write()
    (drafts / "diagram.png").write_bytes(b"\x89PNG\0\0")
    (drafts / "notes.txt").write_text("TODO\n")
    (drafts / ".hidden").mkdir()
    (drafts / ".hidden" / "x.md").write_text("TODO\n")
    (checks.ws.root / "projects/p/research").mkdir(exist_ok=True)
    (checks.ws.root / "projects/p/research/evidence.md").write_text("# Evidence\n")
    assert [p.name for p in resolve_targets(checks.ws, ["projects/p"])] == ["mini-example.md"]
    assert [p.name for p in resolve_targets(checks.ws, ["p"])] == ["mini-example.md"]
    assert [p.name for p in resolve_targets(checks.ws, ["mini-example"])] == ["mini-example.md"]
    assert [p.name for p in resolve_targets(checks.ws, [])] == ["mini-example.md"]
    docs = checks.ws.root / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n")
    (docs / "b.mdx").write_text("# B\n")
    assert [p.name for p in resolve_targets(checks.ws, ["docs"])] == ["a.md", "b.mdx"]


def test_a_target_that_names_nothing_is_a_usage_error(checks):
    with pytest.raises(UsageError, match="No file, folder or project 'nowhere'"):
        resolve_targets(checks.ws, ["nowhere"])


def test_every_family_reports_on_a_draft_with_one_error_each(checks):
    frontmatter = replace(FRONTMATTER, "status: draft", "status: reviewing")
    body = (BODY.replace("## Limits", "## Quotas") + "\nConnect [Partner].\n\n```python\ndef f(:\n```\n"
            "\nSee [notes](../missing.md). A game-changing tool.\n"
            "\nWrong range. <!-- Source: sources/docs.example.com/docs/limits.md:90 -->\n")
    report = checks.run(body, frontmatter)
    families = {f.family for f in report.findings if f.severity != "info"}
    assert families >= {"frontmatter", "structure", "sources", "code", "links", "style"}


def test_without_a_store_sources_do_not_resolve_but_nothing_breaks(checks):
    report = checks.run(store=False, skip=["sources"])
    assert report.errors == 0


def test_the_garbage_collector_is_paused_for_a_run_and_restored(checks, monkeypatch):
    import gc

    import kurt.checks.runner as runner

    seen = []
    original = runner._check_files

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(runner, "_check_files", spy)
    assert gc.isenabled()
    checks.run(BODY)
    assert seen == [False] and gc.isenabled()
    gc.disable()  # a caller that manages the collector keeps it as it was
    try:
        checks.run(BODY)
        assert seen == [False, False] and not gc.isenabled()
    finally:
        gc.enable()


def test_a_family_working_in_the_background_prepares_first_and_checks_last(checks, monkeypatch):
    from kurt.checks.registry import Family, families

    order = []
    original_run, original_prepare = Family.run, Family.prepare

    def run(self, ctx):
        order.append(("check", self.name))
        return original_run(self, ctx)

    def prepare(self, contexts):
        order.append(("prepare", self.name))
        return original_prepare(self, contexts)

    monkeypatch.setattr(Family, "run", run)
    monkeypatch.setattr(Family, "prepare", prepare)
    checks.run(BODY)
    background = {f.name for f in families() if f.background}
    assert background == {"grounding"}
    prepared = [name for step, name in order if step == "prepare"]
    checked = [name for step, name in order if step == "check"]
    assert prepared[0] == "grounding" and checked[-1] == "grounding"
    assert sorted(prepared) == sorted(checked) == sorted(f.name for f in families())


# -- several processes ------------------------------------------------------------------

def _project_of_drafts(checks, count: int) -> None:
    """``count`` drafts in project p, every third one with errors (a placeholder, a wrong
    number) and one silenced finding, so the run has findings of several files to merge."""
    for number in range(count):
        body = BODY
        if number % 3 == 0:
            body += f"\nConnect [Partner] number {number}. TODO\n"
        if number % 3 == 1:
            body += "\n<!-- kurt: ignore structure -->\nConnect [Partner].\n"
        name = f"mini-example-{number}"
        checks.write(body, replace(FRONTMATTER, "document: mini-example", f"document: {name}"),
                     path=f"projects/p/drafts/{name}.md")


def _shape(report):
    return ([(f.path, f.line, f.column, f.rule, f.severity, f.message) for f in report.findings],
            report.files, report.suppressed, report.exit_code)


def test_several_processes_report_exactly_what_one_process_does(checks):
    from kurt.checks.runner import CheckOptions, check

    _project_of_drafts(checks, 7)
    store = checks.ws.open_store()
    try:
        one = check(checks.ws, ["p"], CheckOptions(jobs=1), store=store)
        two = check(checks.ws, ["p"], CheckOptions(jobs=2), store=store)
    finally:
        store.close()
    assert len(one.files) == 7 and one.errors and one.suppressed
    assert _shape(two) == _shape(one)


def test_several_processes_are_used_only_for_enough_files(checks, monkeypatch):
    import kurt.checks.runner as runner

    forked = []
    original = runner._check_forked

    def spy(contexts, running, selection, report, seen, count):
        forked.append((len(contexts), count))
        return original(contexts, running, selection, report, seen, count)

    monkeypatch.setattr(runner, "_check_forked", spy)
    _project_of_drafts(checks, 7)
    checks.run(body=None, targets=["p"])  # the library's default: one process
    assert forked == []
    from kurt.checks.runner import CheckOptions, check

    store = checks.ws.open_store()
    try:
        check(checks.ws, ["projects/p/drafts/mini-example-0.md"], CheckOptions(jobs=2),
              store=store)
        assert forked == []  # one file: no second process
        check(checks.ws, ["p"], CheckOptions(jobs=2), store=store)
    finally:
        store.close()
    assert forked == [(7, 2)]


@pytest.mark.parametrize("jobs,files,cores,expected", [
    (1, 40, 8, 1),  # asked for one
    (4, 5, 8, 1),  # too few files to share
    (4, 6, 8, 2),  # three files a process at least
    (4, 40, 8, 4),
    (0, 40, 2, 2),  # one per core
    (0, 40, 8, 8),
])
def test_the_number_of_processes(jobs, files, cores, expected, monkeypatch):
    import os

    import kurt.checks.runner as runner

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    assert runner.workers(jobs, files) == expected


def test_shares_are_balanced_by_size_and_keep_the_run_order():
    from types import SimpleNamespace

    from kurt.checks.runner import _shares

    contexts = [SimpleNamespace(text="x" * size, name=number)
                for number, size in enumerate([900, 100, 100, 100, 500, 400, 100])]
    shares = _shares(contexts, 2)
    assert sorted(c.name for share in shares for c in share) == list(range(7))
    sizes = [sum(len(c.text) for c in share) for share in shares]
    assert max(sizes) - min(sizes) <= 100
    assert all([c.name for c in share] == sorted(c.name for c in share) for share in shares)
