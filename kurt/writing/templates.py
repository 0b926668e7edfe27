"""Format templates: built-in ones ship in the package; the workspace copy wins.

``kurt init`` copies the built-ins to ``kurt/templates/formats/`` and records
the sha256 of what it wrote in ``.kurt/templates.json``, and the text itself
under ``.kurt/templates/<name>.md`` (the base of a three-way view). A workspace
copy whose hash differs from the recorded one was edited by the user (or
customized), so ``update_templates`` never overwrites it; with ``diff=True``
it shows how the built-in changed since Kurt installed it, to port by hand.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kurt.errors import Conflict, FormatError, NotFound, UsageError
from kurt.installed import InstallRecord, sha256
from kurt.writing.template_parse import OutlineSection, Template, parse_template

__all__ = [
    "OutlineSection", "Template", "TemplateInfo", "UpdateReport", "builtin_templates",
    "install_builtin_templates", "list_templates", "load_template", "new_template",
    "update_templates", "parse_template", "record_template", "installed_text",
]

REGISTRY = InstallRecord("templates.json", "templates")
INSTALLED_DIR = "templates"  # under .kurt/: the built-in text Kurt last installed, per template
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def builtin_templates() -> dict[str, str]:
    """Name -> markdown text of every template shipped with Kurt."""
    folder = resources.files("kurt.resources") / "templates" / "formats"
    found = {}
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.name.endswith(".md"):
                found[entry.name[:-3]] = entry.read_text(encoding="utf-8")
    return dict(sorted(found.items()))


# -- the record of what Kurt wrote ----------------------------------------------------

def read_registry(ws) -> dict[str, str]:
    """Template name -> sha256 of the copy Kurt last wrote (empty when unknown)."""
    return REGISTRY.read(ws)


def record_template(ws, name: str, text: str) -> None:
    """Record ``text`` as the pristine copy of ``name`` (update may refresh it later)."""
    hashes = read_registry(ws)
    hashes[name] = sha256(text)
    _store_installed(ws, name, text)
    REGISTRY.write(ws, hashes)


def _installed_path(ws, name: str) -> Path:
    return ws.state_dir / INSTALLED_DIR / f"{name}.md"


def _store_installed(ws, name: str, text: str) -> None:
    """Keep the text Kurt installed for ``name`` (skipped when already stored as is)."""
    from kurt.fileio import write_atomic

    path = _installed_path(ws, name)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    write_atomic(path, text)


def installed_text(ws, name: str) -> str | None:
    """The built-in text Kurt last installed for ``name``, when known.

    Known when stored under ``.kurt/templates/`` with the recorded hash, or when
    the recorded hash is the current built-in's (then that text is the one).
    None for workspaces from before Kurt stored the text.
    """
    recorded = read_registry(ws).get(name)
    if recorded is None:
        return None
    try:
        stored = _installed_path(ws, name).read_text(encoding="utf-8")
    except OSError:
        stored = None
    if stored is not None and sha256(stored) == recorded:
        return stored
    current = builtin_templates().get(name)
    if current is not None and sha256(current) == recorded:
        return current
    return None


def install_builtin_templates(ws) -> list[tuple[Path, bool]]:
    """Copy built-in templates the workspace lacks; never touch existing copies."""
    from kurt.fileio import write_atomic

    hashes = read_registry(ws)
    done = []
    for name, text in builtin_templates().items():
        target = ws.templates_dir / f"{name}.md"
        if target.exists():
            done.append((target, False))
            if hashes.get(name) == sha256(text) and not _installed_path(ws, name).exists():
                _store_installed(ws, name, text)  # an older workspace: keep the base from now on
        else:
            write_atomic(target, text)
            _store_installed(ws, name, text)
            hashes[name] = sha256(text)
            done.append((target, True))
    if any(created for _, created in done) or not REGISTRY.exists(ws):
        REGISTRY.write(ws, hashes)
    return done


# -- listing and loading --------------------------------------------------------------

@dataclass
class TemplateInfo:
    name: str
    origin: str  # "workspace" | "builtin"
    path: str | None
    title: str | None = None
    length: tuple[int, int] | None = None
    customized: bool | None = None
    modified: bool = False  # the workspace copy differs from the built-in one
    error: str | None = None  # a parse error: the template is broken

    def to_dict(self) -> dict:
        return {
            "name": self.name, "origin": self.origin, "path": self.path, "title": self.title,
            "length": list(self.length) if self.length else None,
            "customized": self.customized, "modified": self.modified, "error": self.error,
        }


def _workspace_files(ws) -> dict[str, Path]:
    folder = ws.templates_dir
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.md")) if p.is_file()}


def list_templates(ws) -> list[TemplateInfo]:
    """Every template (workspace copies and built-ins), sorted by name; broken ones carry ``error``."""
    builtins = builtin_templates()
    files = _workspace_files(ws)
    infos = []
    for name in sorted({*builtins, *files}):
        if name in files:
            path = files[name]
            text = path.read_text(encoding="utf-8")
            info = TemplateInfo(name, "workspace", ws.relative(path),
                                modified=name in builtins and text != builtins[name])
            shown_path: Path | str = ws.relative(path)
        else:
            text = builtins[name]
            info = TemplateInfo(name, "builtin", None)
            shown_path = None
        try:
            parsed = parse_template(text, name=name, path=shown_path, origin=info.origin)
        except FormatError as exc:
            info.error = str(exc)
        else:
            info.title, info.length, info.customized = parsed.title, parsed.length, parsed.customized
        infos.append(info)
    return infos


def template_names(ws) -> list[str]:
    return sorted({*builtin_templates(), *_workspace_files(ws)})


def load_template(ws, name: str) -> Template:
    """The parsed template ``name``: the workspace copy wins over the built-in one."""
    _check_name(name)
    path = ws.templates_dir / f"{name}.md"
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        return parse_template(text, name=name, path=Path(ws.relative(path)), origin="workspace")
    builtins = builtin_templates()
    if name in builtins:
        return parse_template(builtins[name], name=name, origin="builtin")
    raise NotFound(_unknown_message(name, template_names(ws)))


def _unknown_message(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return f"No template named '{name}': {hint}run 'kurt template list' to see them all"


def _check_name(name: str) -> None:
    if not _NAME.match(name or ""):
        raise UsageError(
            f"'{name}' is not a template name: use lowercase letters, digits and dashes "
            "(e.g. 'partner-page')"
        )


# -- new ------------------------------------------------------------------------------

def new_template(ws, name: str, *, source: str) -> Path:
    """Copy template ``source`` to ``kurt/templates/formats/NAME.md``, renaming its references."""
    from kurt.fileio import write_atomic

    _check_name(name)
    target = ws.templates_dir / f"{name}.md"
    if target.exists() or name in builtin_templates():
        raise Conflict(f"A template named '{name}' already exists: pick another name "
                       f"or edit {ws.relative(target) if target.exists() else 'it'}")
    original = load_template(ws, source)
    text = _rename(original.text, source, name)
    parse_template(text, name=name, path=Path(ws.relative(target)), origin="workspace")
    write_atomic(target, text)
    return target


def _rename(text: str, old: str, new: str) -> str:
    """Point the copy's own references (format_template path, draft names, commands) at ``new``."""
    # "integration-page" and "integration-page-[partner-name]", not "integration-pages"
    text = re.sub(rf"(?<![\w-]){re.escape(old)}(?!\w)(?!-\w)", new, text)
    old_title = old.replace("-", " ").title()
    new_title = new.replace("-", " ").title()
    return re.sub(rf"^# {re.escape(old_title)} Template\b", f"# {new_title} Template", text,
                  count=1, flags=re.MULTILINE)


# -- update ---------------------------------------------------------------------------

@dataclass
class UpdateEntry:
    name: str
    action: str  # updated | unchanged | kept-edited | added
    path: str
    diff: str | None = None  # with diff=True, for kept-edited copies: what to port by hand
    diff_note: str | None = None  # what the diff compares, or why there is none


@dataclass
class UpdateReport:
    dry_run: bool
    entries: list[UpdateEntry] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for e in self.entries if e.action == action)


def update_templates(ws, *, dry_run: bool = False, diff: bool = False) -> UpdateReport:
    """Refresh unedited workspace copies from the built-ins; never overwrite edited ones.

    With ``diff``, every copy kept because it was edited (or customized) carries
    a unified diff from the built-in Kurt last installed to the current one.
    """
    from kurt.fileio import write_atomic

    hashes = read_registry(ws)
    report = UpdateReport(dry_run)
    changed = False
    for name, text in builtin_templates().items():
        target = ws.templates_dir / f"{name}.md"
        rel = ws.relative(target) if target.parent.exists() else f"kurt/templates/formats/{name}.md"
        if not target.exists():
            action = "added"
        else:
            current = target.read_text(encoding="utf-8")
            if current == text:
                action = "unchanged"
                if hashes.get(name) != sha256(text):
                    hashes[name] = sha256(text)
                    changed = True
                if not dry_run:
                    _store_installed(ws, name, text)
            elif hashes.get(name) == sha256(current):
                action = "updated"
            else:
                action = "kept-edited"
        entry = UpdateEntry(name, action, rel)
        if action == "kept-edited":
            if hashes.get(name) == sha256(text) and not dry_run:
                _store_installed(ws, name, text)  # known to be what Kurt installed: keep it
            if diff:
                entry.diff, entry.diff_note = _builtin_changes(ws, name, text, current)
        if action in ("added", "updated") and not dry_run:
            write_atomic(target, text)
            _store_installed(ws, name, text)
            hashes[name] = sha256(text)
            changed = True
        report.entries.append(entry)
    if changed and not dry_run:
        REGISTRY.write(ws, hashes)
    return report


def _builtin_changes(ws, name: str, builtin: str, copy: str) -> tuple[str, str]:
    """(unified diff, what it shows) for an edited copy: installed built-in -> current built-in."""
    installed = installed_text(ws, name)
    if installed is None:
        lines = difflib.unified_diff(
            copy.splitlines(keepends=True), builtin.splitlines(keepends=True),
            fromfile=f"{name}.md (your copy)", tofile=f"{name}.md (built-in now)")
        return _text(lines), ("the built-in Kurt installed was not stored (older workspace): "
                              "this compares your copy with the current built-in")
    if installed == builtin:
        return "", "the built-in has not changed since Kurt installed it: nothing to port"
    lines = difflib.unified_diff(
        installed.splitlines(keepends=True), builtin.splitlines(keepends=True),
        fromfile=f"{name}.md (built-in as installed)", tofile=f"{name}.md (built-in now)")
    return _text(lines), "what changed in the built-in since Kurt installed it: port it by hand"


def _text(diff_lines) -> str:
    out = []
    for line in diff_lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
