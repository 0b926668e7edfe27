"""The grounding rules through the installed ``kurt draft check``, on the railway corpus.

A draft that says PgBouncer uses 50 real connections where its cited source says 20 fails
with the finding in every format; ``kurt draft status FILE final`` refuses it; the corrected
draft passes. Selection, kurt.toml, inline suppression and ``--judge llm`` (against a local
server speaking the chat completions wire format) go through the real command too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.chat_completions import ChatCompletionsServer, reply
from tests.checks.postgres_draft import DRAFT, FIXTURES, PGBOUNCER, RIGHT, WRONG


@pytest.fixture(scope="module")
def launch(railway_workspace_template, tmp_path_factory) -> Path:
    """The railway workspace with project 'launch' (shared: copy it before writing)."""
    from tests.conftest import run_kurt

    root = tmp_path_factory.mktemp("grounding-e2e") / "ws"
    shutil.copytree(railway_workspace_template.root, root)
    assert run_kurt("project", "new", "launch", "--goal", "Postgres page", cwd=root).exit_code == 0
    return root


@pytest.fixture
def ws(launch, tmp_path) -> Path:
    """A private copy holding the draft with the wrong number."""
    root = tmp_path / "ws"
    shutil.copytree(launch, root)
    text = (FIXTURES / "integration-page-postgres.md").read_text(encoding="utf-8")
    assert RIGHT in text
    (root / DRAFT).write_text(text.replace(RIGHT, WRONG), encoding="utf-8")
    return root


def wrong_line(root: Path) -> int:
    return next(n for n, line in enumerate((root / DRAFT).read_text().split("\n"), 1)
                if WRONG in line)


def files(root: Path) -> dict:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and ".kurt" not in p.parts}


def specific_findings(result) -> list[dict]:
    return [f for f in result.json()["findings"] if f["rule"] == "grounding/specific"]


def test_a_wrong_number_fails_with_the_source_passage_and_what_it_says(kurt, ws):
    before = files(ws)
    result = kurt("draft", "check", DRAFT, "--format", "json", cwd=ws)
    assert result.exit_code == 1, result.stdout
    [finding] = specific_findings(result)
    line = wrong_line(ws)
    text = (ws / DRAFT).read_text().split("\n")[line - 1]
    assert (finding["path"], finding["line"], finding["severity"]) == (DRAFT, line, "error")
    assert text[finding["column"] - 1:].startswith("50 real connections")
    assert finding["message"] == 'Number "50" is not in the sources'
    evidence = finding["evidence"]
    assert evidence["path"] == PGBOUNCER and evidence["line_start"] <= evidence["line_end"]
    source = (ws / PGBOUNCER).read_text().split("\n")
    assert "20" in "\n".join(source[evidence["line_start"] - 1:evidence["line_end"]])
    assert '"20' in finding["suggestion"] and PGBOUNCER in finding["suggestion"]
    assert files(ws) == before  # checking never writes


def test_the_finding_is_in_every_format(kurt, ws):
    line = wrong_line(ws)
    sarif = kurt("draft", "check", DRAFT, "--format", "sarif", cwd=ws)
    assert sarif.exit_code == 1
    run = json.loads(sarif.stdout)["runs"][0]
    [result] = [r for r in run["results"] if r["ruleId"] == "grounding/specific"]
    assert result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == line
    assert "grounding/specific" in {r["id"] for r in run["tool"]["driver"]["rules"]}
    github = kurt("draft", "check", DRAFT, "--format", "github", cwd=ws).stdout
    assert f"::error file={DRAFT},line={line}," in github and "grounding/specific" in github
    assert f"{DRAFT}:{line}:" in kurt("draft", "check", DRAFT, "--format", "line", cwd=ws).stdout
    text = kurt("draft", "check", DRAFT, cwd=ws).stdout
    assert 'Number "50" is not in the sources' in text and "grounding/specific" in text


def test_status_final_refuses_the_wrong_draft_and_takes_the_corrected_one(kurt, ws):
    before = (ws / DRAFT).read_text()
    refused = kurt("draft", "status", DRAFT, "final", cwd=ws)
    assert refused.exit_code == 2 and "not ready for 'final'" in refused.stderr
    assert "grounding/specific" in refused.stderr and "Traceback" not in refused.stderr
    assert (ws / DRAFT).read_text() == before
    (ws / DRAFT).write_text(before.replace(WRONG, RIGHT), encoding="utf-8")
    passed = kurt("draft", "check", DRAFT, "--format", "json", cwd=ws)
    assert passed.exit_code == 0, passed.stdout
    assert not [f for f in passed.json()["findings"] if f["rule"].startswith("grounding/")]
    final = kurt("draft", "status", DRAFT, "final", "--format", "json", cwd=ws)
    assert final.exit_code == 0 and final.json()["forced"] is False


def test_rule_skip_and_kurt_toml_select_the_grounding_rules(kurt, ws):
    only = kurt("draft", "check", DRAFT, "--rule", "grounding", "--format", "json", cwd=ws)
    assert {f["rule"] for f in only.json()["findings"]} == {"grounding/specific"}
    assert only.exit_code == 1
    skipped = kurt("draft", "check", DRAFT, "--skip", "grounding/specific", cwd=ws)
    assert skipped.exit_code == 0 and "grounding/specific" not in skipped.stdout
    toml = ws / "kurt.toml"
    toml.write_text(toml.read_text().replace(
        '# disable = ["style/sentence-length"]', 'disable = ["grounding/specific"]'))
    assert kurt("draft", "check", DRAFT, cwd=ws).exit_code == 0
    toml.write_text(toml.read_text().replace('disable = ["grounding/specific"]', "")
                    + '\n[checks.severity]\n"grounding/specific" = "warning"\n')
    downgraded = kurt("draft", "check", DRAFT, "--format", "json", cwd=ws)
    assert downgraded.exit_code == 0
    assert [f["severity"] for f in specific_findings(downgraded)] == ["warning"]


def test_an_inline_comment_silences_the_finding(kurt, ws):
    text = (ws / DRAFT).read_text()
    paragraph = next(p for p in text.split("\n\n") if WRONG in p)
    (ws / DRAFT).write_text(text.replace(
        paragraph, "<!-- kurt: ignore grounding/specific -->\n" + paragraph))
    result = kurt("draft", "check", DRAFT, "--format", "json", cwd=ws)
    assert result.exit_code == 0, result.stdout
    assert result.json()["summary"]["suppressed"] == 1


def test_judge_llm_without_a_key_is_a_one_line_usage_error(kurt, ws):
    result = kurt("draft", "check", DRAFT, "--judge", "llm", cwd=ws,
                  env={"OPENAI_API_KEY": ""})
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "--judge llm needs an LLM provider: set OPENAI_API_KEY" in result.stderr


UNSURE = "Most teams put PgBouncer in front of Postgres once their worker count grows past a few dozen."


def test_judge_llm_rechecks_unsure_sentences_through_the_provider(kurt, ws):
    """A sentence the offline score is unsure about (support in the unsure band, just above
    the threshold) goes to the LLM of kurt.toml [llm]; its verdict (not supported) replaces
    the offline one."""
    text = (ws / DRAFT).read_text().replace(WRONG, RIGHT + " " + UNSURE)
    (ws / DRAFT).write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.split("\n"), 1) if UNSURE in row)

    def respond(request):
        sentences = json.loads(request["body"]["messages"][1]["content"])["sentences"]
        return 200, {}, reply({"verdicts": [{"id": s["id"], "supported": False,
                                             "reason": "not stated"} for s in sentences]})

    server = ChatCompletionsServer(respond)
    try:
        toml = ws / "kurt.toml"
        toml.write_text(toml.read_text().replace('base_url = "https://api.openai.com/v1"',
                                                 f'base_url = "{server.base_url}"'))
        offline = kurt("draft", "check", DRAFT, "--format", "json", cwd=ws,
                       env={"OPENAI_API_KEY": ""})
        assert not server.requests  # offline by default
        judged = kurt("draft", "check", DRAFT, "--judge", "llm", "--format", "json", cwd=ws,
                      env={"OPENAI_API_KEY": "sk-test"})
    finally:
        server.close()
    assert offline.exit_code == 0
    assert not [f for f in offline.json()["findings"] if f["rule"] == "grounding/claim"]
    claims = [f for f in judged.json()["findings"] if f["rule"] == "grounding/claim"]
    assert line in [f["line"] for f in claims]
    assert all("the LLM judge found no support" in f["message"] for f in claims)
    assert claims[0]["evidence"]["path"].startswith("sources/docs.railway.com/")
    assert judged.exit_code == 0  # a warning
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer sk-test"
    asked = [s for r in server.requests for s in
             json.loads(r["body"]["messages"][1]["content"])["sentences"]]
    assert UNSURE in [s["sentence"] for s in asked]
    assert all(s["passages"] and s["passages"][0]["source"].startswith("sources/")
               for s in asked)


def test_bad_input_with_grounding_is_one_line_and_writes_nothing(kurt, ws):
    drafts = ws / "projects/launch/drafts"
    (drafts / "logo.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    (drafts / "broken.md").write_text("---\nproject: launch\n  bad: [\n---\n\n# Broken\n")
    (drafts / "notes.md").write_text("# Notes\n\nThe API allows 999 requests a second.\n")
    (drafts / "nofile.md").write_text((ws / DRAFT).read_text()
                                      .replace("formats/integration-page.md", "formats/gone.md"))
    (ws / PGBOUNCER).unlink()  # a cited source deleted
    before = files(ws)
    result = kurt("draft", "check", "launch", "--rule", "grounding,sources,file,frontmatter",
                  "--format", "line", cwd=ws)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    out = result.stdout
    assert "projects/launch/drafts/logo.md:1:1:file/unreadable:" in out
    assert "projects/launch/drafts/broken.md:3:1:frontmatter/invalid:" in out
    assert "projects/launch/drafts/notes.md:1:1:frontmatter/missing:" in out
    assert [line for line in out.splitlines() if line.startswith("projects/launch/drafts/notes")
            and ":grounding/" in line] == []  # not a draft: nothing to ground
    assert "nofile.md:4:18:frontmatter/template:" in out
    assert f"{DRAFT}:" in out and "sources/deleted:" in out
    assert all(len(line.split(":", 4)) == 5 for line in out.strip().splitlines())
    assert files(ws) == before


def test_an_empty_store_is_one_finding_not_a_grounding_storm(kurt, ws):
    import sqlite3

    with sqlite3.connect(ws / ".kurt/kurt.db") as conn:
        conn.execute("UPDATE documents SET status = 'NOT_FETCHED'")
    result = kurt("draft", "check", DRAFT, "--rule", "sources,grounding", "--format", "line",
                  cwd=ws)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stdout.count("\n") == 1 and "sources/empty-store" in result.stdout
