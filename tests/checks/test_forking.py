"""Forked workers are used on Linux only (kurt.checks.forking)."""

import sys

from kurt.checks.forking import fork_context


def test_forking_is_used_on_linux_only(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert fork_context().get_start_method() == "fork"
    for platform in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", platform)
        assert fork_context() is None


def test_a_run_where_forking_is_not_used_is_checked_in_one_process(checks, monkeypatch):
    from kurt.checks.runner import CheckOptions, check
    from tests.checks.conftest import BODY, FRONTMATTER, replace

    for number in range(7):
        name = f"mini-example-{number}"
        checks.write(BODY + "\nConnect [Partner].\n",
                     replace(FRONTMATTER, "document: mini-example", f"document: {name}"),
                     path=f"projects/p/drafts/{name}.md")
    store = checks.ws.open_store()
    try:
        forked = check(checks.ws, ["p"], CheckOptions(jobs=2), store=store)
        monkeypatch.setattr(sys, "platform", "darwin")
        alone = check(checks.ws, ["p"], CheckOptions(jobs=2), store=store)
    finally:
        store.close()
    assert len(alone.files) == 7 and alone.errors == 7
    assert alone.findings == forked.findings and alone.files == forked.files
