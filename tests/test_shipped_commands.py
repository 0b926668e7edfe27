"""Every `kurt ...` command that a shipped text mentions exists, with its options."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

REPO = Path(__file__).resolve().parents[1]
COMMAND = re.compile(r"(?:^|[`\s$(])kurt\s+((?:[a-z][\w-]*)(?:[^\n`|;)]*))")


def shipped_texts() -> list[Path]:
    texts = sorted((REPO / "kurt" / "resources").rglob("*.md"))
    texts += [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    return [p for p in texts if p.exists() and p.name != "cli.md" and "sample-docs" not in p.parts]


def mentioned_commands() -> list[tuple[str, str]]:
    found = set()
    for path in shipped_texts():
        for match in COMMAND.finditer(path.read_text(encoding="utf-8")):
            line = match.group(1).split(" # ")[0].strip().rstrip(".,:")
            found.add((path.relative_to(REPO).as_posix(), line))
    return sorted(found)


def check(line: str) -> str | None:
    """None when `kurt LINE` parses against the real command tree, else the problem."""
    from kurt.cli import cli

    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    command: click.Command = cli
    ctx = click.Context(cli, info_name="kurt")
    path = ["kurt"]
    while isinstance(command, click.Group) and words:
        name = words[0]
        sub = command.get_command(ctx, name)
        if sub is None:
            if name.isupper() or not name.isidentifier() and "-" not in name:
                return None  # prose like "kurt CLI"
            return f"unknown command: {' '.join(path)} {name}"
        path.append(name)
        words = words[1:]
        command = sub
        ctx = click.Context(command, info_name=name, parent=ctx)
    if isinstance(command, click.Group):
        return None
    try:
        command.make_context(path[-1], list(words), parent=ctx.parent)
    except (click.NoSuchOption, click.BadOptionUsage) as exc:
        return f"{' '.join(path)}: {exc.format_message()}"
    except click.UsageError:
        return None  # placeholders (NAME, FILE) or missing arguments in a sentence are fine
    return None


@pytest.mark.parametrize("where, line", mentioned_commands())
def test_mentioned_command_exists(where: str, line: str):
    problem = check(line)
    assert problem is None, f"{where}: `kurt {line}`: {problem}"


def test_seed_commands_are_mentioned():
    lines = {line for _, line in mentioned_commands()}
    assert 'content search "integration"' in lines
    assert 'content list --with-entity "Topic:integration"' in lines
    assert "content list --url-contains /integrations/" in lines
