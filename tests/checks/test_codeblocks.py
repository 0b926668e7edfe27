"""code/*: blocks name a language and parse; a block copied from a source is recognised."""

import shutil

import pytest

from tests.checks.conftest import BODY, SETUP, draft_line


def code(checks, body):
    return [(f.rule, f.line) for f in checks.run(body, rules=["code"]).findings]


def test_the_valid_draft_has_only_its_copied_block(checks):
    found = checks.run(rules=["code"]).findings
    assert [f.rule for f in found] == ["code/from-source"]
    assert (found[0].evidence.path, found[0].evidence.line_start) == (SETUP, 13)
    assert found[0].severity == "info"


def test_a_block_without_language(checks):
    body = BODY + "\n```\nrailway status\n```\n"
    assert code(checks, body)[-1] == ("code/missing-language", draft_line("railway status", body) - 1)


def test_a_python_error_points_at_its_line_in_the_draft(checks):
    body = BODY + "\n```python\nimport os\n\ndef main(:\n    pass\n```\n"
    found = checks.run(body, rules=["code/syntax"]).findings
    assert [(f.rule, f.line) for f in found] == [("code/syntax", draft_line("def main(:", body))]
    assert "Python" in found[0].message


@pytest.mark.parametrize("language,block", [
    ("json", '{"a": 1,}'),
    ("yaml", "a: 1\n  b: 2"),
    ("toml", "[x]\ny = "),
    ("sql", "SELEC * FROM users;"),
])
def test_each_language_is_parsed(checks, language, block):
    body = BODY + f"\n```{language}\n{block}\n```\n"
    assert [r for r, _ in code(checks, body)] == ["code/from-source", "code/syntax"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_a_shell_script_that_does_not_parse(checks):
    body = BODY + "\n```bash\nif [ -f x ]; then\n  echo x\n```\n"
    found = code(checks, body)
    assert [r for r, _ in found] == ["code/from-source", "code/syntax"]
    assert found[1][1] > draft_line("if [ -f x ]", body)  # bash reports where it gave up


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_a_javascript_error(checks):
    body = BODY + "\n```js\nconst a = 1;\nconst b = ;\n```\n"
    assert ("code/syntax", draft_line("const b = ;", body)) in code(checks, body)


def test_a_copied_block_that_does_not_parse_is_the_sources_problem(checks):
    store_text = (checks.ws.root / SETUP).read_text()
    (checks.ws.root / SETUP).write_text(store_text.replace('print(os.environ["PORT"])',
                                                           'print(os.environ["PORT"]'))
    body = BODY + '\n```python\nimport os\nprint(os.environ["PORT"]\n```\n'
    found = checks.run(body, rules=["code"]).findings
    assert [f.rule for f in found] == ["code/from-source", "code/from-source"]
    assert "does not parse as Python" in found[1].message and found[1].severity == "info"


def test_a_block_the_writer_changed_much_is_not_a_copy(checks):
    body = BODY + "\n```python\nimport sys\nprint(sys.argv)\nprint(len(sys.argv))\n```\n"
    assert [r for r, _ in code(checks, body)] == ["code/from-source"]  # only the bash block


def test_output_blocks_tagged_text_are_not_parsed(checks):
    body = BODY + "\n```text\n{ not json\n```\n"
    assert [r for r, _ in code(checks, body)] == ["code/from-source"]
