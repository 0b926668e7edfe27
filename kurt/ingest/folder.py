"""Map a local folder (or one file): every markdown, MDX, HTML, text or PDF file
becomes a document to fetch.

Each file is recorded with ``source_kind='file'``, ``url='file://<absolute path>'``,
``domain='local'``, ``source_path=<absolute path>`` and ``source_root=<absolute
folder>``; fetch writes it to ``sources/local/<folder name>/<path inside the
folder>.md``, so files with the same name in different subfolders never collide.
Hidden folders, ``node_modules`` and version-control folders are skipped.
Files that disappeared since the last map of the same folder are marked delisted.

Symbolic links: a link to a file inside the folder is read (once, whichever name
finds it first); a link that leaves the folder (``notes.md -> /etc/hostname``, or a
linked folder elsewhere) is not followed unless ``follow_symlinks`` is given, and
the report says which links were skipped and why. The URL of a file is its real
path, so at fetch time ``changed_since_mapped`` refuses a path that has been
re-pointed since (a link swapped to another file after mapping).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import UsageError
from kurt.ingest.discover import MapReport
from kurt.ingest.urls import glob_regex

FILE_SUFFIXES = (".md", ".mdx", ".markdown", ".html", ".htm", ".txt", ".pdf")
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", ".venv", "site-packages"})


def file_url(path: Path) -> str:
    """The document URL of a local file: file:// + its absolute path."""
    return "file://" + path.resolve().as_posix()


LINK_OUTSIDE = "leaving the folder, not followed (--follow-symlinks reads them)"
LINK_BROKEN = "leading to nothing, or to something that is not a file"


@dataclass
class FolderListing:
    files: list[Path] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason -> "link -> target"

    def problems(self) -> list[str]:
        """One line per reason a link was skipped, with a few examples."""
        lines = []
        for reason, links in self.skipped.items():
            shown = ", ".join(links[:3]) + (f" and {len(links) - 3} more" if len(links) > 3 else "")
            lines.append(f"{len(links)} link{'s' if len(links) != 1 else ''} {reason}: {shown}")
        return lines


def list_files(root: Path, *, follow_symlinks: bool = False) -> list[Path]:
    """Source files under ``root``, sorted, skipping hidden and vendored folders."""
    return scan_folder(root, follow_symlinks=follow_symlinks).files


def scan_folder(root: Path, *, follow_symlinks: bool = False) -> FolderListing:
    """The source files under ``root`` and the links skipped (see the module docstring)."""
    root = Path(root).resolve()
    listing = FolderListing()
    seen_dirs = {root}

    def skip(reason: str, link: Path, target: Path) -> None:
        listing.skipped.setdefault(reason, []).append(f"{link.relative_to(root)} -> {target}")

    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_symlinks):
        kept = []
        for name in sorted(dirnames):
            if name.startswith(".") or name in SKIP_DIRS:
                continue
            path = Path(dirpath) / name
            real = path.resolve()
            if path.is_symlink() and not follow_symlinks:
                if not real.is_relative_to(root):  # inside: listed where it really is
                    skip(LINK_OUTSIDE, path, real)
                continue
            if real in seen_dirs:  # a link loop, or a folder reached twice
                continue
            seen_dirs.add(real)
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(FILE_SUFFIXES):
                continue
            path = Path(dirpath) / name
            if path.is_symlink():
                real = path.resolve()
                if not real.is_file():
                    skip(LINK_BROKEN, path, real)
                    continue
                if not follow_symlinks and not real.is_relative_to(root):
                    skip(LINK_OUTSIDE, path, real)
                    continue
            # Regular files only: a FIFO would block the fetch.
            if path.is_file():
                listing.files.append(path)
    return listing


def changed_since_mapped(source_path: str, url: str) -> str | None:
    """Why a mapped local file must not be read now, or None.

    Its URL is the real path it had when mapped; if ``source_path`` now leads
    elsewhere (a link re-pointed, perhaps out of the folder), reading it would
    store a file nobody mapped.
    """
    try:
        now = file_url(Path(source_path))
    except (OSError, RuntimeError) as exc:  # a link loop
        return f"cannot resolve {source_path}: {exc}"
    if now == url:
        return None
    return (f"{source_path} now leads to {now[len('file://'):]}, not to the file mapped: not read. "
            "Map its folder again (kurt content map folder) if that is intended")


def map_folder(store, path, *, include=(), exclude=(), limit=None, dry_run=False,
               follow_symlinks: bool = False) -> MapReport:
    """Record the source files under ``path`` (a folder, or a single file)."""
    target = Path(path).expanduser()
    if not target.exists():
        raise UsageError(f"No such file or folder: {path}")
    target = target.resolve()
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    if target.is_file():
        if not target.name.lower().endswith(FILE_SUFFIXES):
            raise UsageError(
                f"{path} is not a supported file: use {', '.join(FILE_SUFFIXES)} files"
            )
        root, files, listing = target.parent, [target], FolderListing()
    elif target.is_dir():
        listing = scan_folder(target, follow_symlinks=follow_symlinks)
        root, files = target, _one_per_file(listing.files)
    else:
        raise UsageError(f"{path} is neither a file nor a folder")
    inc = [glob_regex(p) for p in include]
    exc = [glob_regex(p) for p in exclude]
    # Globs match the file URL or the path inside the folder ("guides/*.md").
    selected = [f for f in files if _selected(f, root, inc, exc)]
    narrowed = len(selected) != len(files) or target.is_file()
    if limit is not None and len(selected) > limit:
        selected, narrowed = selected[:limit], True
    urls = [file_url(f) for f in selected]
    report = MapReport(source=str(target), method="folder", found=len(urls), urls=urls,
                       dry_run=dry_run)
    report.problems += listing.problems()
    if not files:
        report.problems.append(
            f"no {', '.join(FILE_SUFFIXES)} files in {target} (hidden folders and node_modules are skipped)"
        )
    elif not selected:
        report.problems.append(f"{len(files)} files found, none matched --include/--exclude")
    if dry_run or store is None:
        return report
    from kurt.store.documents import Discovered, add_discovered, mark_delisted

    counts = add_discovered(store, (
        Discovered(url=file_url(f), domain="local", source_kind="file", via="folder",
                   source_path=str(f), source_root=str(root)) for f in selected
    ))
    report.added, report.known, report.relisted = counts.added, counts.known, counts.relisted
    if not narrowed:
        rows = store.query(
            "SELECT url, source_path FROM documents WHERE source_kind = 'file' AND source_root = ?"
            " AND delisted_at IS NULL",
            (str(root),),
        )
        current = set(urls)
        gone = [r["url"] for r in rows if r["url"] not in current]
        report.delisted = mark_delisted(store, gone) if gone else 0
    return report


def _one_per_file(files: list[Path]) -> list[Path]:
    """One path per real file (a link inside the folder and its target are one document),
    preferring the file's own name to a link's."""
    chosen: dict[str, Path] = {}
    for path in files:
        url = file_url(path)
        if url not in chosen or (chosen[url].is_symlink() and not path.is_symlink()):
            chosen[url] = path
    return list(chosen.values())


def _selected(path: Path, root: Path, inc, exc) -> bool:
    if not inc and not exc:
        return True
    rel = path.relative_to(root).as_posix()
    url = file_url(path)
    if inc and not any(rx.match(url) or rx.match(rel) for rx in inc):
        return False
    return not any(rx.match(url) or rx.match(rel) for rx in exc)
