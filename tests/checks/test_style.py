"""style/*: the template's guidance and Vale styles; code, URLs, frontmatter and quotes are
never flagged."""

import pytest

from kurt.checks.style import _case_of, _dont_phrases, phrase_pattern, template_guidance
from tests.checks.conftest import BODY, FRONTMATTER, draft_line


def style(checks, text, frontmatter=FRONTMATTER, **kwargs):
    body = BODY + f"\n{text}\n"
    return [(f.rule, f.line) for f in
            checks.run(body, frontmatter, rules=["style"], **kwargs).findings], body


def test_the_valid_draft_has_no_style_finding(checks):
    assert checks.run(rules=["style"]).findings == []


@pytest.mark.parametrize("text,rule", [
    ("This game-changing CLI deploys a service.", "style/banned-phrase"),
    ("In today’s fast-paced world, deploys matter.", "style/banned-phrase"),
    ("Leverage the synergistic platform for maximum velocity.", "style/dont-example"),
    ("We recommend the CLI for every deploy.", "style/person"),
    ("The service is deployed by the CLI.", "style/passive-voice"),
    ("The CLI " + "deploys the service and " * 12 + "ends.", "style/sentence-length"),
])
def test_a_style_problem_is_reported(checks, text, rule):
    found, body = style(checks, text)
    assert found == [(rule, draft_line(text[:20], body))]


@pytest.mark.parametrize("text", [
    "Run `game-changing --seamless` to see it.",
    "```bash\necho 'we are game-changing'\n```",
    "See https://example.com/game-changing for it.",
    'The vendor calls it "game-changing" in its launch post.',
    "> We think this is game-changing.",
    "<!-- we were told this is game-changing -->",
])
def test_code_urls_quotes_and_comments_are_never_flagged(checks, text):
    assert style(checks, text)[0] == []


def test_the_frontmatter_is_never_flagged(checks):
    frontmatter = FRONTMATTER.replace('purpose: "setup steps"', 'purpose: "our game-changing steps"')
    assert style(checks, "", frontmatter)[0] == []


def test_kurt_toml_adds_and_removes_phrases(checks):
    config = checks.config(banned_phrases=["ship it"], allowed_phrases=["game-changing"])
    found, body = style(checks, "Ship it now. A game-changing deploy.", config=config)
    assert found == [("style/banned-phrase", draft_line("Ship it now", body))]


def test_heading_case_follows_kurt_toml_and_keeps_names(checks):
    config = checks.config(heading_case="title")
    body = BODY + "\n## Deploy `pgvector` on pgvector\n\n## Connect the database\n"
    report = checks.run(body, rules=["style/heading-case"], config=config)
    assert [(f.rule, f.line) for f in report.findings] == [
        ("style/heading-case", draft_line("## Connect the database", body))]
    assert report.findings[0].suggestion == \
        "Replace 'Connect the database' with 'Connect the Database'."


def test_sentence_case_keeps_proper_nouns_the_prose_uses(checks):
    config = checks.config(heading_case="sentence")
    body = BODY.replace("## Setup", "## Setup on Railway").replace(
        "# Example Mini Page", "# Example mini page") + \
        "\nYou deploy to Railway here.\n\n## Rate Limits Explained\n"
    report = checks.run(body, rules=["style/heading-case"], config=config)
    assert [f.line for f in report.findings] == [draft_line("## Rate Limits", body)]


def test_style_runs_on_a_markdown_file_without_frontmatter(checks):
    path = "docs/readme.md"
    report = checks.run("# Readme\n\nA game-changing tool.\n", None, rules=["style"], path=path)
    assert [(f.rule, f.path, f.line) for f in report.findings] == [
        ("style/banned-phrase", path, 3)]


def test_a_workspace_vale_style_runs(checks):
    styles = checks.ws.root / "styles" / "House"
    styles.mkdir(parents=True)
    (styles / "Simply.yml").write_text(
        "extends: existence\nmessage: \"Don't use '%s'.\"\nlevel: error\nignorecase: true\ntokens:\n  - simply\n")
    (checks.ws.root / ".vale.ini").write_text("StylesPath = styles\n\n[*.md]\nBasedOnStyles = House\n")
    found, body = style(checks, "Simply run the CLI.")
    assert found == [("style/House.Simply", draft_line("Simply run", body))]


def test_a_broken_vale_ini_is_one_finding_that_names_it(checks):
    (checks.ws.root / ".vale.ini").write_text("StylesPath = nowhere\n\n[*.md]\nBasedOnStyles = X\n")
    report = checks.run(BODY + "\nText.\n", rules=["style"])
    assert [(f.rule, f.path, f.line) for f in report.findings] == [("style/config", ".vale.ini", 1)]


@pytest.mark.parametrize("text,phrases", [
    ("\"[Contrasting example - 'Unlock the power of your data' or another line]\"",
     ["Unlock the power of your data"]),
    ("\"[Contrasting example - 'In today's fast-paced world, data is more important than ever']\"",
     ["In today's fast-paced world, data is more important than ever"]),
    ('"We have made various improvements to performance."',
     ["We have made various improvements to performance"]),
    ("\"[Contrasting example - too vague, missing details]\"", []),
])
def test_dont_examples_are_read_from_the_template(text, phrases):
    assert _dont_phrases(text) == phrases


def test_builtin_templates_give_their_guidance():
    from kurt.writing.templates import builtin_templates, parse_template

    page = parse_template(builtin_templates()["product-page"], name="product-page")
    guidance = template_guidance(page)
    assert guidance.heading_case == "title"
    assert "A powerful, seamless, next-generation platform for modern teams" in guidance.donts
    assert guidance.choices == {}  # not customized: every choice is still open


@pytest.mark.parametrize("headings,case", [
    (["Setup Guide", "Common Use Cases", "Limits & Quotas"], "title"),
    (["Setup guide", "Common use cases", "Limits and quotas"], "sentence"),
    (["Setup Guide", "Common use cases", "Limits and quotas"], None),
])
def test_the_case_of_headings(headings, case):
    assert _case_of(headings) == case


def test_phrases_become_literal_patterns():
    assert phrase_pattern("can't  stop (now)") == r"can['’]t\s+stop\s+\(now\)"
