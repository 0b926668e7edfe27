import pytest

from kurt.checks.vale.styles import read_rule_file, style_rules
from kurt.errors import FormatError


def test_rule_names_follow_folders_and_skip_private_ones(ws):
    ws.rule("Top", "extends: existence\nmessage: x\ntokens: [a]\n")
    ws.rule("dates/Format", "extends: existence\nmessage: x\ntokens: [a]\n")
    ws.rule("_drafts/Old", "extends: existence\nmessage: x\ntokens: [a]\n")
    found = style_rules(ws.root / "styles" / "Test", "Test")
    assert sorted(found) == ["Test.Top", "Test.dates.Format"]


def test_a_rule_can_extend_another_rule(ws):
    ws.rule("Base", """\
        extends: existence
        message: "Base: '%s'"
        level: error
        tokens: [simply]
        """)
    ws.rule("Child", """\
        extends: Test.Base
        message: "Child: '%s'"
        """, style="Mine")
    ws.config(styles="Mine")
    [finding] = ws.lint("Simply simply.\n")
    assert (finding.name, finding.message, finding.severity) == \
        ("Mine.Child", "Child: 'simply'", "error")


def test_yaml_keeps_yes_and_no_as_words(ws):
    ws.rule("Words", """\
        extends: substitution
        message: "Use '%s' instead of '%s'."
        swap:
          no way: not possible
          on: upon
        """)
    ws.config()
    assert [f.message for f in ws.lint("There is no way on earth.\n")] == [
        "Use 'not possible' instead of 'no way'.", "Use 'upon' instead of 'on'."]


@pytest.mark.parametrize(("yaml_text", "problem", "line"), [
    ("extends: existence\nmessage: [unclosed\n", "invalid YAML", 3),
    ("- a list\n", "must be a YAML mapping", 1),
    ("message: x\ntokens: [a]\n", "missing the required 'extends'", 1),
    ("extends: existance\nmessage: x\n", "'extends: existance' is not a Vale rule type", 1),
    ("extends: existence\ntokens: [a]\n", "missing the required 'message'", 1),
    ("extends: existence\nmessage: x\nlevel: fatal\ntokens: [a]\n", "'level' must be one of", 3),
    ("extends: existence\nmessage: x\ntokens: ['(a']\n", "'tokens'", 3),
    ("extends: substitution\nmessage: x\nswap: [a]\n", "'swap' must be a map", 3),
    ("extends: occurrence\nmessage: x\nmax: many\ntoken: a\n", "'max' must be a whole", 3),
    ("extends: capitalization\nmessage: x\n", "'match' is required", None),
    ("extends: Test.Nowhere\nmessage: x\n", "no such rule in StylesPath", 1),
])
def test_a_broken_rule_file_names_its_file_and_line(ws, yaml_text, problem, line):
    path = ws.rule("Broken", yaml_text)
    with pytest.raises(FormatError, match=problem) as caught:
        ws.config()
    assert caught.value.path == path
    assert caught.value.line == line


def test_unknown_keys_and_unsupported_types_are_notices_not_errors(ws):
    ws.rule("Odd", "extends: existence\nmessage: x\ntokens: [a]\nfancy: true\n")
    ws.rule("Seq", "extends: sequence\nmessage: x\n")
    ws.rule("Quoted", "extends: existence\nmessage: x\nscope: blockquote\ntokens: [a]\n")
    config = ws.config()
    assert sorted(config.rules) == ["Test.Odd", "Test.Quoted"]
    messages = [n.message for n in config.notices]
    assert "Test.Odd: 'fancy' is not a key of 'existence' rules; ignored" in messages
    assert any(m.startswith("Test.Seq: 'sequence' rules are not run") for m in messages)
    assert any(m.startswith("Test.Quoted: scope 'blockquote' is never linted") for m in messages)


def test_read_rule_file_rejects_a_binary_file(tmp_path):
    path = tmp_path / "Bin.yml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(FormatError, match="not a UTF-8"):
        read_rule_file(path)
