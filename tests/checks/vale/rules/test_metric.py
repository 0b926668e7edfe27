import pytest

from kurt.errors import FormatError

GRADE = """\
    extends: metric
    message: "Try to keep the Flesch-Kincaid grade (%s) below 8."
    link: https://readable.com/readability/flesch-reading-ease-flesch-kincaid-grade-level/
    formula: |
      (0.39 * (words / sentences)) + (11.8 * (syllables / words)) - 15.59
    condition: "> 8"
    """

HARD = ("Organizational infrastructure considerations necessitate comprehensive "
        "documentation regarding authentication configuration. Consequently, administrators "
        "continuously evaluate interdependent operational responsibilities.\n")


def test_a_hard_file_is_flagged_once_at_its_first_line(ws):
    ws.rule("FleschKincaid", GRADE)
    ws.config()
    [finding] = ws.lint("---\ntitle: x\n---\n# Title\n\n" + HARD)
    assert (finding.line, finding.column) == (1, 1)
    assert finding.message.startswith("Try to keep the Flesch-Kincaid grade (")
    grade = float(finding.message.split("(")[1].split(")")[0])
    assert grade > 15
    assert finding.link.startswith("https://readable.com")


def test_an_easy_file_or_a_file_without_prose_is_not(ws):
    ws.rule("FleschKincaid", GRADE)
    ws.config()
    assert ws.results("The cat sat on the mat. It was fun.\n") == []
    assert ws.results("# Only a heading\n\n```\ncode only\n```\n") == []


def test_block_counts_are_variables(ws):
    ws.rule("TooManyLists", """\
        extends: metric
        message: "%s list items"
        formula: list + heading.h2 * 0
        condition: "> 2"
        """)
    ws.config()
    assert ws.results("Some text here.\n\n- a\n- b\n- c\n") == [
        (1, 1, "Test.TooManyLists", "3.00 list items")]


def test_the_readability_type(ws):
    ws.rule("Grade", """\
        extends: readability
        message: "Grade %s is too high."
        grade: 8
        metrics: [Flesch-Kincaid, Gunning Fog, Coleman-Liau, SMOG, Automated Readability]
        """)
    ws.config()
    assert [r[2] for r in ws.results(HARD)] == ["Test.Grade"]
    assert ws.results("The cat sat on the mat. It was fun.\n") == []


@pytest.mark.parametrize(("formula", "problem"), [
    ("letters / words", "unknown variable 'letters'"),
    ("__import__('os')", "is not allowed"),
])
def test_a_bad_formula_is_refused_when_the_config_loads(ws, formula, problem):
    ws.rule("Bad", f"""\
        extends: metric
        message: "%s"
        formula: "{formula}"
        condition: "> 1"
        """)
    with pytest.raises(FormatError, match=problem) as caught:
        ws.config()
    assert caught.value.line == 3
