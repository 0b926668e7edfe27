"""The Google style package's own test suite, scenario by scenario.

tests/fixtures/vale-google/features/rules.feature holds, for each fixture
folder, the exact lines Vale prints (``vale --output=line``) when run in that
folder with the folder's own ``.vale.ini``. Each scenario is one test case
here: every file of the folder that the ``.vale.ini`` sections select is
linted, and the output must equal Vale's, line for line and in Vale's order.

One file is not linted: fixtures/Headings/test.rst (Kurt reads markdown and
plain text, not reStructuredText); the scenario's expected output has no line
for it, and the test asserts that it is the only file left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kurt.checks.finding import format_line
from kurt.checks.vale import lint, load_config

PACKAGE = Path(__file__).resolve().parents[1] / "fixtures" / "vale-google"
SCENARIO = re.compile(
    r'Scenario: (?P<title>[^\n]+)\n\s+When I test "(?P<folder>[^"]+)"\n'
    r'\s+Then the output should contain exactly:\n\s+"""\n(?P<lines>.*?)\n\s+"""',
    re.DOTALL)


def scenarios() -> list[tuple[str, str, list[str]]]:
    text = (PACKAGE / "features" / "rules.feature").read_text(encoding="utf-8")
    found = [(m["title"], m["folder"], [line.strip() for line in m["lines"].splitlines()])
             for m in SCENARIO.finditer(text)]
    assert len(found) == text.count("Scenario:"), "every scenario of rules.feature is parsed"
    return found


SCENARIOS = scenarios()


def vale_output(folder: Path) -> tuple[list[str], list[str]]:
    """(Vale's line output for the folder, the files that matched a section but were not read)."""
    config = load_config(folder / ".vale.ini")
    lines, skipped = [], []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.name != ".vale.ini"):
        settings = config.settings_for(path.name)
        if not config.active_rules(settings):
            continue
        if settings.format is None:
            skipped.append(path.name)
            continue
        lines.extend(format_line(f) for f in lint(path, config, path=path.name))
    return lines, skipped


def test_the_feature_file_has_every_fixture_folder():
    folders = {folder for _, folder, _ in SCENARIOS}
    assert folders == {p.name for p in (PACKAGE / "fixtures").iterdir() if p.is_dir()}
    assert len(SCENARIOS) == 12


@pytest.mark.parametrize(("title", "folder", "expected"), SCENARIOS,
                         ids=[folder for _, folder, _ in SCENARIOS])
def test_scenario(title, folder, expected):
    lines, skipped = vale_output(PACKAGE / "fixtures" / folder)
    assert lines == expected, title
    assert skipped == (["test.rst"] if folder == "Headings" else [])
