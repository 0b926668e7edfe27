"""Pages from a folder of markdown/MDX files: ``load_markdown_site``."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kurt.sample_site.pages import PageMeta, file_to_url, meta_from_markdown
from kurt.sample_site.site import Site

MARKDOWN_SUFFIXES = (".md", ".mdx")


@dataclass
class FolderSource:
    """Pages from every .md/.mdx file under a folder (bodies read on demand)."""

    root: Path
    files: dict[str, Path] = field(default_factory=dict)  # url path -> file
    metas: dict[str, PageMeta] = field(default_factory=dict)

    @classmethod
    def scan(cls, root: Path) -> FolderSource:
        """Index the folder: url paths and frontmatter metadata."""
        src = cls(root=root)
        for f in sorted(root.rglob("*")):
            if f.suffix.lower() not in MARKDOWN_SUFFIXES or not f.is_file():
                continue
            rel = f.relative_to(root).as_posix()
            url = file_to_url(rel)
            if url in src.files:  # index.md wins over README.md
                if f.stem.lower() != "index":
                    continue
            src.files[url] = f
            text = f.read_text(encoding="utf-8", errors="replace")
            src.metas[url] = meta_from_markdown(url, text, f.stat().st_mtime)
        return src

    def paths(self) -> list[str]:
        return list(self.files)

    def meta(self, path: str) -> PageMeta | None:
        f = self.files.get(path)
        meta = self.metas.get(path)
        if f is None or meta is None:
            return None
        try:
            mtime = f.stat().st_mtime
        except OSError:
            return meta
        if mtime != meta.modified:  # edited on disk
            meta = meta_from_markdown(path, f.read_text(encoding="utf-8", errors="replace"), mtime)
            self.metas[path] = meta
        return meta

    def markdown(self, path: str) -> str | None:
        f = self.files.get(path)
        return f.read_text(encoding="utf-8", errors="replace") if f else None

    def version(self, path: str) -> object:
        f = self.files.get(path)
        try:
            return f.stat().st_mtime_ns if f else None
        except OSError:
            return None

    def resolve_file(self, from_path: str, target: str) -> str | None:
        f = self.files.get(from_path)
        if f is None:
            return None
        rel_dir = posixpath.dirname(f.relative_to(self.root).as_posix())
        rel = posixpath.normpath(posixpath.join(rel_dir, target))
        if rel.startswith("../"):
            return None
        return file_to_url(rel)


def load_markdown_site(folder: Path, *, sitemap_chunk: int = 100, **options: Any) -> Site:
    """A Site serving every .md/.mdx file under ``folder``.

    ``options`` are Site fields: name, sitemap_enabled, crawl_delay,
    misbehaving, slow_seconds, stall_seconds, cache_size.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"not a folder: {folder}")
    return Site(FolderSource.scan(folder), sitemap_chunk=sitemap_chunk, **options)
