"""``kurt show`` as a user (or an agent) runs it."""

from __future__ import annotations


def test_show_lists_topics_outside_a_workspace(kurt, tmp_path):
    result = kurt("show", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    names = [row["name"] for row in result.json()["topics"]]
    assert "project-workflow" in names and "format-templates" in names


def test_show_topic_prints_the_rule_file(kurt, workspace):
    result = kurt("show", "find-sources", cwd=workspace.root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (workspace.root / "kurt/rules/find-sources.md").read_text(encoding="utf-8")


def test_show_topic_json(kurt, workspace):
    data = kurt("show", "profile-workflow", "--format", "json", cwd=workspace.root).json()
    assert data["name"] == "profile-workflow" and data["origin"] == "shipped"
    assert "kurt profile" in data["text"]


def test_show_unknown_topic_is_a_one_line_error(kurt, workspace):
    result = kurt("show", "write-drafts", cwd=workspace.root)
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: No topic 'write-drafts': did you mean write-draft? "
                                     "run 'kurt show' to list them")
    assert "Traceback" not in result.output
