"""A workspace for the draft checks: a small template, two ingested pages, a valid draft.

``checks`` (the fixture) writes a draft from the valid one with some of it
changed, runs ``kurt.checks.runner.check`` on it with the real store, and
returns the report, so each rule's test states a draft and the findings.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from pathlib import Path

import pytest

from kurt.index.sections import replace_sections, split_sections
from kurt.store.documents import Discovered, add_discovered, document_id, update_document

MINI_TEMPLATE = '''# Mini Template

## Overview
- **Purpose:** A short page for the checks' tests
- **Length:** 40-400 words
- **Audience:** Testers

---

## Style Guidelines

**Tone:**
- Person: Second person "you"
- Voice: Active

**DO/DON'T Examples (from their actual content):**

✅ **DO:** "Run railway up to deploy the service from the current folder."
- Why this works: direct

❌ **DON'T:** "Leverage the synergistic platform for maximum velocity."
- Reason: empty

---

## Structure

```markdown
---
project: project-name
document: mini-[name]
format_template: /kurt/templates/formats/mini.md
created: YYYY-MM-DD
status: outline

outline:
  setup:
    sources: []
    purpose: "how to set it up"
  limits:
    sources: []
    purpose: "the limits"
---

# [Product] Mini Page

## Setup

[How to set it up]

## Limits

[The limits]
```

## Workflow: Outline to Draft

Write it.
'''

SETUP_DOC = """Deploy a service from your terminal with the Railway CLI.

## Install

Install the CLI with npm, then log in:

```bash
npm install -g @railway/cli
railway login
```

## Deploy

Run railway up from the folder of your service to deploy it in one step.

```python
import os
print(os.environ["PORT"])
```
"""

LIMITS_DOC = """Limits of the public API.

## Rate limits

The API accepts 60 requests per minute for each token.

Larger workspaces can ask support for a higher limit.
"""

SETUP = "sources/docs.example.com/guides/setup.md"
LIMITS = "sources/docs.example.com/docs/limits.md"
DRAFT = "projects/p/drafts/mini-example.md"

FRONTMATTER = f"""project: p
document: mini-example
format_template: kurt/templates/formats/mini.md
created: 2026-01-05
status: draft

sources:
  - path: {SETUP}
    purpose: "setup steps"
  - path: {LIMITS}
    purpose: "rate limits"

outline:
  setup:
    sources:
      - {SETUP}
    purpose: "how to set it up"
  limits:
    sources:
      - {LIMITS}
    purpose: "the limits"
"""

BODY = f"""# Example Mini Page

## Setup

Install the CLI with npm and log in before your first deploy. <!-- Source: {SETUP}:10 -->
Then run railway up from the folder of your service, and it deploys the whole service in
one step. <!-- Source: {SETUP}:19 -->

```bash
npm install -g @railway/cli
railway login
```

## Limits

The API accepts 60 requests per minute for each token you create. <!-- Source: {LIMITS}:10 -->
A larger workspace can ask support for a higher limit when it needs one. <!-- Source: {LIMITS}:12 -->
"""


def stored(body: str, title: str, url: str) -> str:
    return f"---\nurl: {url}\ntitle: {title}\n---\n\n{body}"


@dataclasses.dataclass
class Checks:
    """The checks' workspace: write a draft, run the checks, read the findings."""

    ws: object
    tmp: Path

    @property
    def draft_path(self) -> Path:
        return self.ws.root / DRAFT

    def write(self, body: str = BODY, frontmatter: str | None = FRONTMATTER,
              path: str = DRAFT) -> Path:
        target = self.ws.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = body if frontmatter is None else f"---\n{frontmatter}---\n\n{body}"
        target.write_text(text, encoding="utf-8")
        return target

    def run(self, body: str = BODY, frontmatter: str | None = FRONTMATTER, *, rules=(),
            skip=(), config=None, store=True, targets=None, check_links=None, path=DRAFT):
        from kurt.checks.runner import CheckOptions, check

        if body is not None:
            self.write(body, frontmatter, path)
        opened = self.ws.open_store() if store else None
        try:
            return check(self.ws, targets if targets is not None else [self.ws.root / path],
                         CheckOptions(rules=tuple(rules), skip=tuple(skip),
                                      check_links=check_links),
                         store=opened, config=config)
        finally:
            if opened is not None:
                opened.close()

    def findings(self, *args, **kwargs) -> list[tuple[str, int]]:
        """(rule, line) of every finding, info included."""
        return [(f.rule, f.line) for f in self.run(*args, **kwargs).findings]

    def rules(self, *args, **kwargs) -> set[str]:
        return {f.rule for f in self.run(*args, **kwargs).findings}

    def config(self, **changes):
        from kurt.config import ChecksConfig

        return dataclasses.replace(ChecksConfig(), **changes)


def line_of(text: str, needle: str, body_offset: int = 0) -> int:
    """1-based line of the first line holding ``needle`` in ``text``."""
    for number, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return number + body_offset
    raise AssertionError(f"{needle!r} not in the text")


def draft_line(needle: str, body: str = BODY, frontmatter: str = FRONTMATTER) -> int:
    return line_of(f"---\n{frontmatter}---\n\n{body}", needle)


def replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.fixture(scope="session")
def checks_template(tmp_path_factory):
    """The checks' workspace, built once per session (do not modify it: see ``checks``)."""
    from kurt.workspace import init_workspace
    from kurt.writing.projects import create_project

    workspace = init_workspace(tmp_path_factory.mktemp("checks") / "ws").workspace
    (workspace.templates_dir / "mini.md").write_text(MINI_TEMPLATE, encoding="utf-8")
    create_project(workspace, "p", "Test the checks")
    store = workspace.open_store()
    pages = {SETUP: ("Deploy with the CLI", SETUP_DOC), LIMITS: ("API limits", LIMITS_DOC)}
    add_discovered(store, [Discovered(url=_url(path), domain="docs.example.com")
                           for path in pages])
    for path, (title, body) in pages.items():
        text = stored(body, title, _url(path))
        (workspace.root / path).parent.mkdir(parents=True, exist_ok=True)
        (workspace.root / path).write_text(text, encoding="utf-8")
        doc = document_id(_url(path))
        update_document(store, doc, status="FETCHED", content_path=path, title=title,
                        content_hash=f"hash-{doc}")
        with store.transaction() as conn:
            replace_sections(conn, doc, split_sections(text, title=title))
    store.close()
    return workspace


@pytest.fixture
def checks(checks_template, tmp_path) -> Checks:
    """A private copy of the checks' workspace."""
    import shutil

    from kurt.workspace import Workspace

    target = tmp_path / "ws"
    shutil.copytree(checks_template.root, target)
    return Checks(Workspace(target), tmp_path)


def _url(path: str) -> str:
    return "https://docs.example.com/" + re.sub(r"^sources/docs\.example\.com/|\.md$", "", path)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")
