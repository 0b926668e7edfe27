"""Format templates: built-in ones ship in the package; the workspace copy wins."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def builtin_templates() -> dict[str, str]:
    """Name -> markdown text of every template shipped with Kurt."""
    folder = resources.files("kurt.resources") / "templates" / "formats"
    found = {}
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name.endswith(".md"):
                found[entry.name[:-3]] = entry.read_text(encoding="utf-8")
    return dict(sorted(found.items()))


def install_builtin_templates(ws) -> list[tuple[Path, bool]]:
    """Copy built-in templates the workspace lacks; never touch existing copies."""
    from kurt.workspace import write_atomic

    done = []
    for name, text in builtin_templates().items():
        target = ws.templates_dir / f"{name}.md"
        if target.exists():
            done.append((target, False))
        else:
            write_atomic(target, text)
            done.append((target, True))
    return done
