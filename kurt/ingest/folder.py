"""Map a local folder (or one file): every markdown, MDX, HTML, text or PDF file
becomes a document to fetch.

Each file is recorded with ``source_kind='file'``, ``url='file://<absolute path>'``,
``domain='local'``, ``source_path=<absolute path>`` and ``source_root=<absolute
folder>``; fetch writes it to ``sources/local/<folder name>/<path inside the
folder>.md``, so files with the same name in different subfolders never collide.
Hidden folders, ``node_modules`` and version-control folders are skipped.
Files that disappeared since the last map of the same folder are marked delisted.
"""

from __future__ import annotations

import os
from pathlib import Path

from kurt.errors import UsageError
from kurt.ingest.discover import MapReport
from kurt.ingest.urls import glob_regex

FILE_SUFFIXES = (".md", ".mdx", ".markdown", ".html", ".htm", ".txt", ".pdf")
SKIP_DIRS = frozenset({"node_modules", "__pycache__", "venv", ".venv", "site-packages"})


def file_url(path: Path) -> str:
    """The document URL of a local file: file:// + its absolute path."""
    return "file://" + path.resolve().as_posix()


def list_files(root: Path) -> list[Path]:
    """Source files under ``root``, sorted, skipping hidden and vendored folders."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            # Regular files only: a FIFO would block the fetch, a dangling link has nothing.
            if name.lower().endswith(FILE_SUFFIXES) and path.is_file():
                found.append(path)
    return found


def map_folder(store, path, *, include=(), exclude=(), limit=None, dry_run=False) -> MapReport:
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
        root, files = target.parent, [target]
    elif target.is_dir():
        root, files = target, list_files(target)
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


def _selected(path: Path, root: Path, inc, exc) -> bool:
    if not inc and not exc:
        return True
    rel = path.relative_to(root).as_posix()
    url = file_url(path)
    if inc and not any(rx.match(url) or rx.match(rel) for rx in inc):
        return False
    return not any(rx.match(url) or rx.match(rel) for rx in exc)
