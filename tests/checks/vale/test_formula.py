import math

import pytest

from kurt.checks.vale.formula import Formula, FormulaError

VARS = {"words": 100.0, "sentences": 5.0, "syllables": 150.0, "polysyllabic_words": 10.0}


@pytest.mark.parametrize(("expression", "value"), [
    ("(0.39 * (words / sentences)) + (11.8 * (syllables / words)) - 15.59",
     0.39 * 20 + 11.8 * 1.5 - 15.59),
    ("1.0430 * math.sqrt((polysyllabic_words * 30.0) / sentences) + 3.1291",
     1.0430 * math.sqrt(60) + 3.1291),
    ("math.pow(2, 3) % 5", 3),
    ("-words + 1", -99),
    ("words > 50 && sentences < 10", True),
    ("words > 500 || !(sentences > 10)", True),
    ("heading.h1 + 1", 3),
])
def test_evaluate(expression, value):
    assert Formula(expression).evaluate({**VARS, "heading_h1": 2.0}) == pytest.approx(value)


def test_names_are_the_variables_read():
    assert Formula("words / sentences + math.sqrt(syllables)").names == \
        {"words", "sentences", "syllables"}


@pytest.mark.parametrize("expression", [
    "__import__('os').system('true')",
    "words.__class__",
    "open('x')",
    "[words]",
    "lambda: 1",
    "math.sqrt(words, base=2)",
    "(words",
])
def test_anything_but_arithmetic_is_refused(expression):
    with pytest.raises(FormulaError):
        Formula(expression)


def test_division_by_zero_and_unknown_variables_are_formula_errors():
    with pytest.raises(FormulaError, match="division"):
        Formula("words / 0").evaluate(VARS)
    with pytest.raises(FormulaError, match="unknown variable 'letters'"):
        Formula("letters + 1").evaluate(VARS)
