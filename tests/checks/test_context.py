"""DraftContext: positions of frontmatter keys, and headings matched to outline sections."""

import pytest

from kurt.checks.context import outline_key_for, yaml_positions


def test_yaml_positions_give_file_lines_and_columns():
    raw = "project: p\noutline:\n  setup:\n    sources:\n      - a.md\n"
    keys, values = yaml_positions(raw, 2)
    assert (keys[("outline", "setup")].line, keys[("outline", "setup")].column) == (4, 3)
    source = values[("outline", "setup", "sources", 0)]
    assert (source.line, source.column, source.end_column) == (6, 9, 12)


@pytest.mark.parametrize("heading,key", [
    ("Setup Guide", "setup-guide"),
    ("Step 3: Implement Integration (Code)", "code-examples"),
    ("Common Use Cases", "use-cases"),
    ("Troubleshooting", "troubleshooting"),
    ("Pricing", None),
])
def test_headings_map_to_outline_sections(heading, key):
    keys = ["overview", "setup-guide", "code-examples", "use-cases", "troubleshooting"]
    assert outline_key_for(heading, keys) == key
