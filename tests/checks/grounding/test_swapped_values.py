"""Values swapped between keys in code (kurt.checks.grounding.swapped_values)."""

import pytest

from kurt.checks.grounding.swapped_values import pair_of, source_pairs
from kurt.checks.passages import file_passages

SOURCE = """# Express

Update your `package.json`:

```json
{
  "scripts": {
    "dev": "tsx src/app.ts",
    "build": "tsc",
    "start": "node dist/app.js"
  }
}
```

```yaml
services:
  web:
    image: nginx:alpine
    restart: always
    name: web
```

Running `"dev": "node dist/app.js"` in prose is not code.
"""

SCRIPTS = '```json\n{{\n  "scripts": {{\n    "dev": "{}",\n    "start": "node dist/app.js"\n  }}\n}}\n```'


def test_a_value_the_sources_give_another_key_is_reported(check_against):
    assert check_against(SCRIPTS.format("tsx src/app.ts"), SOURCE) == []
    assert check_against(SCRIPTS.format("node dist/app.js"), SOURCE) == [
        'Value "node dist/app.js" of "dev" is what the sources give another key']


def test_what_is_left_alone(check_against):
    # a value the sources never write is the writer's own; so are the user's names
    assert not [m for m in check_against(SCRIPTS.format("tsx watch src/app.ts"), SOURCE)
                if "another key" in m]
    yaml = "```yaml\nservices:\n  web:\n    image: nginx:alpine\n    name: always\n```"
    assert check_against(yaml, SOURCE) == []
    flags = "```yaml\nrestart: {}\n```"
    assert check_against(flags.format("always"), SOURCE) == []


@pytest.mark.parametrize("line,pair", [
    ('    "dev": "tsx src/app.ts",', ("dev", "tsx src/app.ts")),
    ("    image: nginx:alpine", ("image", "nginx:alpine")),
    ("  - name: 'web' # the service", ("name", "web")),
    ('builder = "railpack"', ("builder", "railpack")),
    ("    restart: true", None),  # booleans, numbers, flags and placeholders are not compared
    ("    replicas: 3", None),
    ('    "args": "--port"', None),
    ("    token: <your-token>", None),
    ("builder = railpack", None),  # TOML values are quoted
])
def test_pairs_are_read_from_json_yaml_and_toml_lines(line, pair):
    found = pair_of(line)
    assert (None if found is None else (found.key, found.value)) == pair
    if found is not None:
        assert line[found.start:found.end] == found.value


def test_source_pairs_come_from_fenced_code_only():
    pairs = source_pairs(file_passages("sources/x/p.md", SOURCE))
    assert [p.value for p in pairs["dev"]] == ["tsx src/app.ts"]
    assert pairs["start"][0].line == 10 and pairs["start"][0].quote == '"start": "node dist/app.js"'
