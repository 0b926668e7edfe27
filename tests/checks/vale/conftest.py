"""A style folder and a .vale.ini written in tmp_path, and a way to lint text with them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kurt.checks.vale import lint, load_config

GOOGLE = Path(__file__).resolve().parents[2] / "fixtures" / "vale-google"


class Workspace:
    def __init__(self, root: Path):
        self.root = root

    def rule(self, name: str, yaml_text: str, style: str = "Test") -> Path:
        path = self.root / "styles" / style / f"{name}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(yaml_text), encoding="utf-8")
        return path

    def ini(self, body: str = "", top: str = "", styles: str = "Test") -> Path:
        path = self.root / ".vale.ini"
        text = f"StylesPath = styles\nMinAlertLevel = suggestion\n{textwrap.dedent(top)}\n"
        text += f"[*.md]\nBasedOnStyles = {styles}\n" if styles else ""
        text += textwrap.dedent(body)
        path.write_text(text, encoding="utf-8")
        return path

    def config(self, body: str = "", top: str = "", styles: str = "Test"):
        (self.root / "styles").mkdir(exist_ok=True)
        return load_config(self.ini(body, top, styles))

    def lint(self, text: str, config=None, name: str = "doc.md"):
        config = config or load_config(self.root / ".vale.ini")
        return lint(textwrap.dedent(text), config, path=name)

    def results(self, text: str, config=None, name: str = "doc.md") -> list[tuple]:
        """(line, column, rule, message) of each finding."""
        return [(f.line, f.column, f.name, f.message) for f in self.lint(text, config, name)]


@pytest.fixture
def ws(tmp_path) -> Workspace:
    return Workspace(tmp_path)


@pytest.fixture(scope="session")
def google_config(tmp_path_factory):
    """The whole Google style on every markdown file."""
    root = tmp_path_factory.mktemp("google")
    (root / ".vale.ini").write_text(
        f"StylesPath = {GOOGLE}\nMinAlertLevel = suggestion\n\n[*.md]\nBasedOnStyles = Google\n",
        encoding="utf-8")
    return load_config(root / ".vale.ini")
