"""kurt.topics: the workflow texts, one source for the rule files and ``kurt show``."""

from __future__ import annotations

import pytest

from kurt.agents import shipped_rules
from kurt.errors import NotFound
from kurt.topics import FORMAT_TEMPLATES, list_topics, read_topic
from kurt.workspace import init_workspace

RULES = [rule.name for rule in shipped_rules()]


def test_topics_are_the_rules_and_format_templates():
    names = [topic.name for topic in list_topics()]
    assert set(names) == {*RULES, FORMAT_TEMPLATES}
    assert {"project-workflow", "profile-workflow", "find-sources", "add-source", "write-draft",
            "use-templates"} <= set(names)


@pytest.mark.parametrize("name", RULES)
def test_topic_text_is_the_installed_rule_file(tmp_path, name):
    ws = init_workspace(tmp_path / "ws").workspace
    installed = (ws.root / "kurt" / "rules" / f"{name}.md").read_text(encoding="utf-8")
    assert read_topic(name, ws).text == installed
    assert read_topic(name).text == installed  # outside a workspace: the shipped text
    assert read_topic(name, ws).origin == "shipped"


def test_an_edited_rule_copy_is_the_text_shown(tmp_path):
    ws = init_workspace(tmp_path / "ws").workspace
    copy = ws.root / "kurt" / "rules" / "write-draft.md"
    copy.write_text(copy.read_text(encoding="utf-8") + "\nAlways ask Ana before final.\n",
                    encoding="utf-8")
    topic = read_topic("write-draft", ws)
    assert topic.origin == "workspace" and topic.text.endswith("Always ask Ana before final.\n")


def test_format_templates_lists_the_workspace_templates(tmp_path):
    ws = init_workspace(tmp_path / "ws").workspace
    custom = ws.templates_dir / "partner-page.md"
    custom.write_text((ws.templates_dir / "integration-page.md").read_text(encoding="utf-8"),
                      encoding="utf-8")
    text = read_topic("format-templates", ws).text
    assert "**partner-page**" in text and "**integration-page**" in text
    assert "**partner-page**" not in read_topic("format-templates").text


def test_unknown_topic_names_close_ones():
    with pytest.raises(NotFound, match="did you mean project-workflow"):
        read_topic("project-workflw")


def test_every_topic_a_shipped_text_names_exists():
    """`kurt show NAME` in a rule, AGENTS.md, the README or docs/ names a real topic (the
    shipped-commands test only checks that the line parses: any word would)."""
    import re

    from tests.test_shipped_commands import shipped_texts

    names = {topic.name for topic in list_topics()}
    named = {(path.name, match) for path in shipped_texts()
             for match in re.findall(r"kurt show ([a-z][a-z-]*)", path.read_text(encoding="utf-8"))}
    assert len(named) >= 5
    assert sorted((where, name) for where, name in named if name not in names | {"topic"}) == []
