"""Vale style packages, read and run by Kurt (no Vale binary needed).

    from kurt.checks.vale import load_config, lint

    config = load_config(workspace / ".vale.ini")   # compiles the rules once
    for finding in lint(Path("drafts/launch.md"), config):
        print(format_line(finding))                 # kurt.checks.finding.format_line

See docs/checks-style.md for the keys, rule types and scopes Kurt supports and
how it differs from Vale.
"""

from kurt.checks.vale.config import FileSettings, ValeConfig, find_config, load_config
from kurt.checks.vale.linter import lint, lint_text
from kurt.checks.vale.styles import Notice

__all__ = ["FileSettings", "Notice", "ValeConfig", "find_config", "lint", "lint_text",
           "load_config"]
