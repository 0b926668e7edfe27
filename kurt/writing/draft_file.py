"""A draft file read back: its project, status, template, variables and outline.

The lowest layer of the writing package for drafts: evidence, source proposals, checks
and status changes read drafts through it, while ``kurt.writing.drafts`` creates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import FormatError, NotFound, UsageError

STATUSES = ("outline", "draft", "final")


@dataclass
class OutlineEntry:
    key: str
    purpose: str
    sources: list[str] = field(default_factory=list)


@dataclass
class Draft:
    path: Path
    project: str
    project_dir: Path
    document: str
    status: str
    template: str | None
    variables: dict
    outline: list[OutlineEntry]
    data: dict


def resolve_draft(ws, ident: str) -> Path:
    """A draft by path (from the current folder or the workspace root) or by document name."""
    raw = str(ident or "").strip()
    if not raw:
        raise UsageError("Give a draft file, e.g. projects/launch/drafts/integration-page-stripe.md")
    candidates = [Path.cwd() / raw, ws.root / raw]
    if "/" not in raw and "\\" not in raw:
        stem = raw[:-3] if raw.endswith(".md") else raw
        candidates += sorted(ws.projects_dir.glob(f"*/drafts/{stem}.md"))
    for candidate in candidates:
        if candidate.is_file():
            path = candidate.resolve()
            try:
                path.relative_to(ws.projects_dir.resolve())
            except ValueError:
                raise UsageError(f"{raw} is not a draft inside {ws.relative(ws.projects_dir)}/: "
                                 "drafts live in projects/<project>/drafts/") from None
            return path
    raise NotFound(f"No draft '{raw}': create one with 'kurt draft new PROJECT --template T --name N'")


def read_draft(ws, ident: str) -> Draft:
    from kurt.writing import frontmatter

    path = resolve_draft(ws, ident)
    data = frontmatter.parse(path.read_text(encoding="utf-8"), ws.relative(path)).data
    parts = path.relative_to(ws.projects_dir.resolve()).parts
    project = parts[0]
    outline_data = data.get("outline") or {}
    if not isinstance(outline_data, dict):
        raise FormatError(path, None, "'outline' must map section names to their purpose and sources")
    outline = []
    for key, entry in outline_data.items():
        entry = entry if isinstance(entry, dict) else {}
        sources = entry.get("sources") or []
        if isinstance(sources, str):
            sources = [sources]
        outline.append(OutlineEntry(str(key), str(entry.get("purpose") or key), [str(s) for s in sources]))
    variables = data.get("variables") if isinstance(data.get("variables"), dict) else {}
    template = data.get("format_template")
    return Draft(
        path=path, project=project, project_dir=ws.projects_dir.resolve() / project,
        document=str(data.get("document") or path.stem), status=str(data.get("status") or "outline"),
        template=Path(str(template)).stem if template else None,
        variables=variables, outline=outline, data=data,
    )
