"""End to end with the installed ``kurt``: a folder source whose file names hold spaces and
parentheses goes through draft new -> evidence -> citation -> sources -> final, and the
commands Kurt suggests for such paths run as printed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

DLT = "sources/local/partner docs/data load tool (dlt).md"
SETUP = "sources/local/partner docs/dlt setup guide.md"
DRAFT = "projects/launch/drafts/integration-page-dlt.md"
PAGES = {
    "data load tool (dlt).md": """# data load tool (dlt)

dlt is an open-source Python library that loads data from APIs, files and databases into
warehouses such as Quackbase, with schema inference and incremental loading built in.

## Setup

Install dlt with pip install dlt, then run dlt init to create a pipeline for Quackbase.
Create an API key in **Settings > API Keys** and store it as a pipeline secret.

## Support

Ask questions in the [dlt community Slack](https://dlthub.com/community) or read the docs.
""",
    "dlt setup guide.md": """# dlt setup guide

Pipelines written with dlt run anywhere Python runs: a laptop, Airflow or a serverless job.
Each run loads new rows only, so a dlt pipeline into Quackbase can run every few minutes.
""",
}


@pytest.fixture
def ws(tmp_path, kurt):
    assert kurt("init", "ws", cwd=tmp_path).exit_code == 0
    root = tmp_path / "ws"
    folder = root / "partner docs"
    folder.mkdir()
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    for args in (("content", "add", "partner docs"),
                 ("profile", "--company", "Quackbase", "--product", "Quackbase"),
                 ("project", "new", "launch", "--goal", "An integration page for dlt")):
        result = kurt(*args, cwd=root)
        assert result.exit_code == 0, result.output
    return root


def _run_printed(command: str, cwd):
    """Run a command exactly as Kurt printed it, through bash, with the installed kurt."""
    exe = shutil.which("kurt")
    assert exe, "the kurt command is not installed"
    env = {**os.environ, "PATH": os.path.dirname(exe) + os.pathsep + os.environ["PATH"]}
    env.pop("KURT_WORKSPACE", None)
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180)


def _write_body(root, body: str) -> None:
    """``body`` under the title, then the template's sections (one line each), so that
    kurt draft check has nothing against the draft but what ``body`` holds."""
    from kurt.writing.templates import builtin_templates, parse_template

    template = parse_template(builtin_templates()["integration-page"], name="integration-page")
    sections = "".join(f"\n## {name}\n\nWritten.\n" for name in template.required_headings)
    path = root / DRAFT
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("\n---\n", 4) + 5]
    path.write_text(f"{head}\n# Quackbase + dlt Integration\n\n{body}\n{sections}",
                    encoding="utf-8")


def test_a_source_path_with_spaces_is_cited_checked_and_final(ws, kurt):
    new = kurt("draft", "new", "launch", "--template", "integration-page", "--name", "dlt",
               "--var", "partner=dlt", cwd=ws)
    assert new.exit_code == 0, new.output
    assert f"Filled from <{DLT}>:" in new.stdout and "https://dlthub.com/community" in new.stdout
    assert "example line(s) marked [EXAMPLE: ...]" in new.stderr
    # facts filled from the source carry a citation in the bracketed form
    body = (ws / DRAFT).read_text(encoding="utf-8")
    assert f"Navigate to Settings > API Keys and create new credentials: <!-- Source: <{DLT}>:" \
        in body
    assert f"- Partner support: https://dlthub.com/community <!-- Source: <{DLT}>:" in body
    assert "[EXAMPLE: Webhook triggers event to dlt]" in body

    evidence = kurt("draft", "evidence", DRAFT, cwd=ws)
    assert evidence.exit_code == 0, evidence.output
    quoted = (ws / "projects/launch/research/integration-page-dlt-evidence.md").read_text()
    cites = re.findall(r"^- Cite: `(<!-- Source: .*? -->)`$", quoted, re.MULTILINE)
    cite = next(c for c in cites if "data load tool" in c)
    assert cite.startswith(f"<!-- Source: <{DLT}>:")

    _write_body(ws, f"dlt loads data into Quackbase with incremental loading. {cite}")
    sources = kurt("draft", "sources", DRAFT, "--format", "json", cwd=ws)
    assert sources.exit_code == 0, sources.output
    report = sources.json()
    assert [(c["path"], c["status"]) for c in report["citations"]] == [(DLT, "ok")]
    assert report["unresolved"] == []

    assert kurt("draft", "status", DRAFT, "draft", cwd=ws).exit_code == 0
    final = kurt("draft", "status", DRAFT, "final", cwd=ws)
    assert final.exit_code == 0, final.output
    assert "integration-page-dlt: draft -> final" in final.stdout


def test_a_printed_suggestion_with_a_spaced_path_runs_through_bash(ws, kurt):
    assert kurt("draft", "new", "launch", "--template", "integration-page", "--name", "dlt",
                "--var", "partner=dlt", "--no-sources", cwd=ws).exit_code == 0
    added = kurt("draft", "add-source", DRAFT, "setup-guide", SETUP, cwd=ws)
    assert added.exit_code == 0, added.output
    _write_body(ws, f"dlt loads data. <!-- Source: <{DLT}>:3-4 -->")
    checked = kurt("draft", "sources", DRAFT, cwd=ws)
    assert checked.exit_code == 0, checked.output
    line = next(ln for ln in checked.stderr.splitlines() if ln.startswith("Not cited yet: " + SETUP))
    printed = line.split("drop it with ", 1)[1]
    assert printed == f"kurt draft remove-source {DRAFT} all 'sources/local/partner docs/dlt setup guide.md'"
    ran = _run_printed(printed, ws)
    assert ran.returncode == 0, ran.stderr
    assert f"Removed {SETUP} from every section" in ran.stdout
    after = kurt("draft", "sources", DRAFT, "--format", "json", cwd=ws).json()
    assert SETUP not in after["inventory"] and after["uncited"] == []


def test_a_spaced_path_written_without_brackets_blocks_final_with_the_fix(ws, kurt):
    assert kurt("draft", "new", "launch", "--template", "integration-page", "--name", "dlt",
                "--var", "partner=dlt", "--no-sources", cwd=ws).exit_code == 0
    _write_body(ws, f"dlt loads data. <!-- Source: {DLT}:3-4 -->")
    checked = kurt("draft", "sources", DRAFT, cwd=ws)
    assert checked.exit_code == 1
    assert f"write it <!-- Source: <{DLT}>:3-4 -->" in checked.stderr
    assert "path needs <...>" in checked.stdout and "Traceback" not in checked.stderr
    assert kurt("draft", "status", DRAFT, "draft", cwd=ws).exit_code == 0
    final = kurt("draft", "status", DRAFT, "final", cwd=ws)
    assert final.exit_code != 0
    assert "sources/citation-syntax x1" in final.stderr
    assert "status: draft" in (ws / DRAFT).read_text()
    check = kurt("draft", "check", DRAFT, "--rule", "sources", "--format", "json", cwd=ws).json()
    found = [f for f in check["findings"] if f["rule"] == "sources/citation-syntax"]
    assert found[0]["suggestion"] == f"<!-- Source: <{DLT}>:3-4 -->"
