import pytest

from kurt.checks.vale import find_config, lint, load_config
from kurt.errors import ConfigError, FormatError

WORD = """\
    extends: existence
    message: "'%s'"
    level: {level}
    tokens: [{token}]
    """


def rules(ws):
    ws.rule("Warn", WORD.format(level="warning", token="warnme"))
    ws.rule("Hint", WORD.format(level="suggestion", token="hintme"))
    ws.rule("Err", WORD.format(level="error", token="errme"), style="Other")


def names(ws, text="warnme hintme errme\n", name="doc.md"):
    return [f.name for f in ws.lint(text, name=name)]


def test_based_on_styles_selects_whole_styles(ws):
    rules(ws)
    ws.config()
    assert names(ws) == ["Test.Warn", "Test.Hint"]


def test_the_last_matching_section_decides_the_styles_and_global_applies_elsewhere(ws):
    rules(ws)
    ws.config(styles="", body="""\
        [*]
        BasedOnStyles = Other

        [*.md]
        BasedOnStyles = Test

        [docs/*.md]
        BasedOnStyles = Other
        """)
    assert names(ws, name="a.md") == ["Test.Warn", "Test.Hint"]
    assert names(ws, name="docs/a.md") == ["Other.Err"]
    assert names(ws, name="a.txt") == ["Other.Err"]


def test_rules_switched_on_off_and_levels(ws):
    rules(ws)
    ws.config(body="""\
        Test.Hint = NO
        Test.Warn = error
        Other.Err = YES
        """)
    found = ws.lint("warnme hintme errme\n")
    assert [(f.name, f.severity) for f in found] == [("Test.Warn", "error"), ("Other.Err", "error")]


def test_a_whole_style_can_be_switched_off(ws):
    rules(ws)
    ws.config(body="Test = NO\nTest.Hint = YES\n")
    assert names(ws) == ["Test.Hint"]


def test_min_alert_level(ws):
    rules(ws)
    ws.ini(top="MinAlertLevel = warning")
    path = ws.root / ".vale.ini"
    path.write_text(path.read_text().replace("MinAlertLevel = suggestion\n", ""))
    assert names(ws) == ["Test.Warn"]


def test_severity_is_kurts_name_for_vales_level(ws):
    rules(ws)
    ws.config()
    assert [f.severity for f in ws.lint("warnme hintme\n")] == ["warning", "info"]


def test_styles_path_is_relative_to_the_ini_and_may_repeat(ws, tmp_path):
    ws.rule("Warn", WORD.format(level="warning", token="warnme"))
    extra = tmp_path / "more"
    (extra / "Extra").mkdir(parents=True)
    (extra / "Extra" / "Mine.yml").write_text(WORD.format(level="error", token="mine"))
    ws.config(top=f"StylesPath = {extra}", styles="Test, Extra")
    assert names(ws, "warnme mine\n") == ["Test.Warn", "Extra.Mine"]


@pytest.mark.parametrize(("top", "body", "problem", "line"), [
    ("StylesPath = nowhere", "", "StylesPath 'nowhere' is not a folder", 3),
    ("MinAlertLevel = loud", "", "MinAlertLevel must be one of", 3),
    ("", "MinAlertLevel = error\n", "is a core option", 6),
    ("BasedOnStyles = Test", "", "belongs in a section", 3),
    ("", "BasedOnStyles = Missing\n", "style 'Missing' is not in StylesPath", 6),
])
def test_configuration_errors_name_the_line(ws, top, body, problem, line):
    (ws.root / "styles" / "Test").mkdir(parents=True)
    with pytest.raises(FormatError, match=problem) as caught:
        ws.config(top=top, body=body)
    assert caught.value.line == line
    assert str(caught.value).startswith(str(ws.root / ".vale.ini"))


def test_what_cannot_run_becomes_a_notice(ws):
    rules(ws)
    ws.rule("Spell", "extends: spelling\nmessage: x\n")
    config = ws.config(body="Test.Gone = YES\nTest.Warn = Yes\nTransform = x.xsl\n")
    notices = [str(n) for n in config.notices]
    assert any("Test.Gone is not in StylesPath" in n and ":6:" in n for n in notices)
    assert any("'Test.Warn = Yes'" in n for n in notices)
    assert any("'Transform' has no effect" in n for n in notices)
    assert any("'spelling' rules are not run" in n for n in notices)
    assert names(ws) == ["Test.Hint"]  # "Yes" is not "YES": off, as in Vale


def test_formats_map_other_extensions(ws):
    rules(ws)
    ws.config(body="[formats]\nmarkdownish = md\n[*.markdownish]\nBasedOnStyles = Test\n")
    assert names(ws, name="a.markdownish") == ["Test.Warn", "Test.Hint"]


def test_find_config_walks_up_and_load_config_takes_a_folder(ws):
    rules(ws)
    ws.config()
    nested = ws.root / "drafts" / "deep"
    nested.mkdir(parents=True)
    assert find_config(nested) == ws.root / ".vale.ini"
    assert load_config(nested).path == ws.root / ".vale.ini"


def test_no_config_is_a_one_line_error(tmp_path):
    with pytest.raises(ConfigError, match="no .vale.ini"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match="no such Vale configuration"):
        load_config(tmp_path / "missing.ini")


def test_rules_are_compiled_once_when_the_config_loads(ws):
    rules(ws)
    config = ws.config()
    assert sorted(config.rules) == ["Test.Hint", "Test.Warn"]
    (ws.root / "styles" / "Test" / "Warn.yml").unlink()
    assert [f.name for f in ws.lint("warnme\n", config)] == ["Test.Warn"]


def test_vocabularies_drive_vale_terms_and_vale_avoid(ws):
    folder = ws.root / "styles" / "config" / "vocabularies" / "Team"
    folder.mkdir(parents=True)
    (folder / "accept.txt").write_text("Kubernetes\n[Oo]bservability\n")
    (folder / "reject.txt").write_text("synergy\n")
    config = ws.config(top="Vocab = Team", styles="Vale")
    assert [n.message.split(":")[0] for n in config.notices] == ["Vale.Spelling"]
    text = "Run kubernetes with Kubernetes and observability for synergy.\n"
    assert ws.results(text) == [
        (1, 5, "Vale.Terms", "Use 'Kubernetes' instead of 'kubernetes'."),
        (1, 54, "Vale.Avoid", "Avoid using 'synergy'."),
    ]


def test_sections_match_paths_relative_to_the_ini(ws):
    rules(ws)
    config = ws.config(styles="", body="[docs/*.md]\nBasedOnStyles = Test\n")
    inside = ws.root / "docs" / "a.md"
    inside.parent.mkdir()
    inside.write_text("warnme\n")
    outside = ws.root / "blog" / "a.md"
    outside.parent.mkdir()
    outside.write_text("warnme\n")
    assert config.settings_for(inside).path == "docs/a.md"
    assert [f.name for f in lint(inside, config)] == ["Test.Warn"]
    assert lint(outside, config) == []
