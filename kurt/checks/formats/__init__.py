"""How a ``CheckReport`` is printed: one module per output format.

``render(report, fmt, root)`` returns the whole output as text; ``root`` is the
workspace folder (the terminal report reads the lines it underlines from there).
"""

from __future__ import annotations

import importlib

FORMATS = {
    "text": "kurt.checks.formats.terminal",
    "json": "kurt.checks.formats.jsondoc",
    "sarif": "kurt.checks.formats.sarif",
    "github": "kurt.checks.formats.github",
    "line": "kurt.checks.formats.line",
}


def render(report, fmt: str = "text", root=None, *, color: bool = False) -> str:
    module = importlib.import_module(FORMATS[fmt])
    if fmt == "text":
        return module.render(report, root, color=color)
    return module.render(report)
