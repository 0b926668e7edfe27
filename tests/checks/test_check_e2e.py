"""``kurt draft check`` end to end: the installed command on a workspace holding the railway corpus.

A good draft written against the corpus passes; a bad one reports an error of each family
planted in it; ``kurt draft status FILE final`` refuses it, then records ``--force``. The
formats, the exit codes and bad input go through the real command too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "drafts"
GOOD = "projects/launch/drafts/integration-page-postgres.md"
BAD = "projects/launch/drafts/integration-page-postgres-bad.md"


@pytest.fixture(scope="module")
def railway(railway_workspace_template, tmp_path_factory):
    """The railway workspace with project 'launch' and the two drafts (shared: never written)."""
    from tests.conftest import run_kurt

    root = tmp_path_factory.mktemp("e2e") / "ws"
    shutil.copytree(railway_workspace_template.root, root)
    assert run_kurt("project", "new", "launch", "--goal", "Postgres page", cwd=root).exit_code == 0
    for name in ("integration-page-postgres.md", "integration-page-postgres-bad.md"):
        shutil.copy(FIXTURES / name, root / "projects/launch/drafts" / name)
    return root


def files(root: Path) -> dict:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and ".kurt" not in p.parts}


def test_the_good_draft_passes(kurt, railway):
    before = files(railway)
    result = kurt("draft", "check", GOOD, cwd=railway)
    assert result.exit_code == 0, result.stdout
    assert "0 errors, 0 warnings" in result.stdout.splitlines()[-1]
    assert "code/from-source" in result.stdout  # its copied blocks are recognised
    assert files(railway) == before  # checking never writes


def test_the_bad_draft_reports_each_planted_family(kurt, railway):
    result = kurt("draft", "check", BAD, "--format", "json", cwd=railway)
    assert result.exit_code == 1
    data = result.json()
    rules = {f["rule"] for f in data["findings"]}
    assert rules >= {
        "frontmatter/date", "frontmatter/status",
        "structure/required-section", "structure/placeholder", "structure/choice", "structure/todo",
        "length/too-short",
        "sources/not-ingested", "sources/line-range", "sources/uncited",
        "sources/section-without-source",
        "code/missing-language", "code/syntax",
        "links/broken-file", "links/anchor",
        "style/banned-phrase",
    }
    assert all(f["path"] == BAD for f in data["findings"])
    missing = next(f for f in data["findings"] if f["rule"] == "sources/not-ingested")
    assert missing["suggestion"] == \
        "did you mean sources/docs.railway.com/docs/databases/postgresql.md?"
    assert data["summary"]["errors"] == 11 and data["summary"]["exit_code"] == 1


def test_the_text_report_underlines_and_sums_up(kurt, railway):
    result = kurt("draft", "check", BAD, cwd=railway)
    lines = result.stdout.splitlines()
    index = next(i for i, line in enumerate(lines) if "structure/placeholder" in line)
    assert lines[index + 1].endswith("Connect it to [Partner] in a few minutes. TODO: say how many.")
    assert lines[index + 2].strip() == "| " + " " * 14 + "^" * 9 or \
        lines[index + 2].rstrip().endswith("^^^^^^^^^")
    assert lines[-1].startswith(tuple(f"{n} problems" for n in range(15, 40)))
    assert "in 1 of 1 file" in lines[-1]


def test_a_project_and_the_whole_workspace(kurt, railway):
    project = kurt("draft", "check", "launch", "--format", "json", cwd=railway).json()
    assert project["summary"]["files"] == 2
    assert {f["path"] for f in project["findings"] if f["severity"] == "error"} == {BAD}
    everything = kurt("draft", "check", "--format", "json", cwd=railway).json()
    assert everything["summary"]["files"] == 2


def test_rules_can_be_chosen_and_skipped(kurt, railway):
    only = kurt("draft", "check", BAD, "--rule", "code,links", "--format", "json", cwd=railway)
    assert {f["rule"].split("/")[0] for f in only.json()["findings"]} == {"code", "links"}
    skipped = kurt("draft", "check", BAD, "--skip", "structure", "--skip", "frontmatter/date",
                   "--format", "json", cwd=railway).json()
    rules = {f["rule"] for f in skipped["findings"]}
    assert not any(r.startswith("structure/") for r in rules) and "frontmatter/date" not in rules
    assert "frontmatter/status" in rules


def test_a_project_checked_by_two_processes_reports_what_one_does(kurt, railway, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(railway, root)
    drafts = root / "projects/launch/drafts"
    for number in range(2):  # six drafts: two processes share them
        for name in ("integration-page-postgres", "integration-page-postgres-bad"):
            text = (drafts / f"{name}.md").read_text(encoding="utf-8")
            (drafts / f"{name}-{number}.md").write_text(text, encoding="utf-8")
    one = kurt("draft", "check", "launch", "--jobs", "1", "--format", "json", cwd=root)
    two = kurt("draft", "check", "launch", "--jobs", "2", "--format", "json", cwd=root)
    assert one.exit_code == two.exit_code == 1, two.stderr
    assert one.json()["summary"]["files"] == 6
    assert two.stdout, two.stderr
    assert two.json()["findings"] == one.json()["findings"]
    assert two.json()["summary"] == one.json()["summary"]


@pytest.mark.parametrize("args,message", [
    (("--rule", "structur"), "did you mean structure"),
    (("--jobs", "-1"), "Invalid value for '--jobs'"),
    (("nowhere.md",), "No file, folder or project 'nowhere.md'"),
    (("--format", "xml"), "Invalid value for '--format'"),
])
def test_usage_errors_exit_2_with_one_line(kurt, railway, args, message):
    result = kurt("draft", "check", *args, cwd=railway)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_ci_formats(kurt, railway):
    github = kurt("draft", "check", BAD, "--format", "github", cwd=railway)
    assert github.exit_code == 1
    assert any(line.startswith(f"::error file={BAD},line=") for line in github.stdout.splitlines())
    sarif = kurt("draft", "check", BAD, "--format", "sarif", cwd=railway)
    log = json.loads(sarif.stdout)
    assert log["version"] == "2.1.0" and log["runs"][0]["results"]
    line = kurt("draft", "check", BAD, "--format", "line", cwd=railway)
    assert f"{BAD}:6:9:frontmatter/status:" in line.stdout


def test_strict_fails_on_warnings(kurt, railway, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(railway, root)
    good = root / GOOD
    good.write_text(good.read_text() + "\nSee [the limits](#nowhere).\n")
    assert kurt("draft", "check", GOOD, cwd=root).exit_code == 0
    assert kurt("draft", "check", GOOD, "--strict", cwd=root).exit_code == 1
    toml = root / "kurt.toml"
    toml.write_text(toml.read_text().replace("strict = false", "strict = true"))
    assert kurt("draft", "check", GOOD, cwd=root).exit_code == 1
    assert kurt("draft", "check", GOOD, "--no-strict", cwd=root).exit_code == 0


def test_status_final_refuses_then_force_records(kurt, railway, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(railway, root)
    bad = root / BAD
    bad.write_text(bad.read_text().replace("status: reviewing", "status: draft"))
    before = bad.read_text()
    refused = kurt("draft", "status", BAD, "final", cwd=root)
    assert refused.exit_code == 2 and "not ready for 'final'" in refused.stderr
    assert f"kurt draft check {BAD}" in refused.stderr
    assert bad.read_text() == before
    forced = kurt("draft", "status", BAD, "final", "--force", cwd=root)
    assert forced.exit_code == 0 and "final_forced" in forced.stderr
    from kurt.writing import frontmatter

    data = frontmatter.read(bad).data
    assert data["status"] == "final" and data["final_forced"]["errors"] == 10
    good = kurt("draft", "status", GOOD, "final", "--format", "json", cwd=root)
    assert good.exit_code == 0 and good.json()["forced"] is False
    assert "final_forced" not in (root / GOOD).read_text()


def test_bad_input_is_one_line_each_never_a_traceback(kurt, railway, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(railway, root)
    drafts = root / "projects/launch/drafts"
    (drafts / "logo.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    (drafts / "diagram.png").write_bytes(b"\x89PNG\0")
    (drafts / "broken.md").write_text("---\nproject: launch\n  bad: [\n---\n\n# Broken\n")
    (drafts / "notes.md").write_text("# Notes\n\nNo frontmatter.\n")
    (drafts / "nofile.md").write_text((FIXTURES / "integration-page-postgres.md").read_text()
                                      .replace("formats/integration-page.md", "formats/gone.md"))
    result = kurt("draft", "check", "launch", "--format", "line", cwd=root)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    out = result.stdout
    assert "projects/launch/drafts/logo.md:1:1:file/unreadable:" in out and "binary" in out
    assert "diagram.png" not in out
    assert "projects/launch/drafts/broken.md:3:1:frontmatter/invalid:" in out
    assert "projects/launch/drafts/notes.md:1:1:frontmatter/missing:" in out
    assert "projects/launch/drafts/nofile.md:4:18:frontmatter/template:" in out


def test_a_deleted_source_and_an_empty_store(kurt, railway, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(railway, root)
    (root / "sources/docs.railway.com/docs/volumes/backups.md").unlink()
    deleted = kurt("draft", "check", GOOD, "--rule", "sources", "--format", "json", cwd=root)
    found = deleted.json()["findings"]
    assert {f["rule"] for f in found} == {"sources/deleted"}
    assert all("backups.md" in f["message"] for f in found)
    import sqlite3

    with sqlite3.connect(root / ".kurt/kurt.db") as conn:
        conn.execute("UPDATE documents SET status = 'NOT_FETCHED'")
    empty = kurt("draft", "check", GOOD, "--rule", "sources", "--format", "line", cwd=root)
    assert empty.exit_code == 1
    assert empty.stdout.count("\n") == 1 and "sources/empty-store" in empty.stdout


def test_style_on_any_markdown_file(kurt, railway, tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(railway, root)
    (root / "README.md").write_text("# Readme\n\nA game-changing tool.\n")
    result = kurt("draft", "check", "--rule", "style", "README.md", "--format", "line", cwd=root)
    assert result.stdout.strip() == ("README.md:3:3:style/banned-phrase:'game-changing' says "
                                     "nothing a reader can check: say what it means, or cut it")
    assert result.exit_code == 0  # a warning
