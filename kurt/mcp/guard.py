"""What an MCP tool may touch: the workspace, the folders kurt.toml allows, checked URLs.

A tool's arguments come from a model, which may have read a hostile page. So every
path an argument names is resolved against the workspace root (never the server's
current folder), with ``~`` and symbolic links followed, and refused when it lands
outside the workspace, or names a hidden entry (``.env``, ``.kurt/``, ``.git/``) that
holds secrets or Kurt's own state. A file a tool finds by name (a plan, a draft, a
template, a rule) is held to the same rule, so a symbolic link in the workspace (from a
shared repository, say) never leads a tool to a file elsewhere on the machine; source files
are guarded by the library itself (``kurt.store.content.leads_out``). A folder to ingest may also lie under one of
``[mcp] allowed_roots``. A URL to add goes through the CLI's checks (a URL with a user
name or password is refused: ``kurt.ingest.urls.check_user_url``) and, because a model
rather than the user names it here, through the private-address rule of
``kurt.ingest.addresses`` too: a host that is (or resolves to) a loopback, private or
link-local address is refused unless its site already has documents in the workspace,
or kurt.toml allows it (``[mcp] allow_private_urls`` or ``[ingest]
allow_private_addresses``). Every refusal is a ``UsageError`` with a one-line message.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from kurt.errors import UsageError

__all__ = ["MAX_PATH", "Sandbox", "slug"]

MAX_PATH = 4096  # characters in a path or URL argument
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug(value: str, what: str) -> str:
    """``value`` when it is a lowercase slug (a project, template or draft name), else UsageError."""
    if not isinstance(value, str) or not _SLUG.match(value) or len(value) > 200:
        raise UsageError(f"'{str(value)[:80]}' is not a {what}: use lowercase letters, digits "
                         "and dashes")
    return value


@dataclass
class Sandbox:
    """The workspace root and the folders outside it that may be read."""

    root: Path
    allowed_roots: list[Path] = field(default_factory=list)

    @classmethod
    def for_workspace(cls, ws) -> Sandbox:
        root = ws.root.resolve()
        allowed = []
        for raw in ws.config.mcp.allowed_roots:
            path = Path(os.path.expanduser(raw))
            allowed.append((path if path.is_absolute() else root / path).resolve())
        return cls(root, allowed)

    def _resolve(self, raw: str, what: str) -> Path:
        if not isinstance(raw, str) or not raw.strip():
            raise UsageError(f"Give a {what}")
        if len(raw) > MAX_PATH or "\x00" in raw:
            raise UsageError(f"That {what} is not a usable path")
        path = Path(os.path.expanduser(raw.strip()))
        try:
            return (path if path.is_absolute() else self.root / path).resolve()
        except (OSError, RuntimeError) as exc:  # a symlink loop, say
            raise UsageError(f"Cannot resolve the {what} '{raw[:200]}': {exc}") from None

    def _inside(self, path: Path, base: Path) -> bool:
        if not path.is_relative_to(base):
            return False
        hidden = [part for part in path.relative_to(base).parts if part.startswith(".")]
        return not hidden

    def workspace_path(self, raw: str, what: str = "path") -> Path:
        """``raw`` (relative to the workspace root, or absolute) resolved inside the workspace."""
        path = self._resolve(raw, what)
        if not self._inside(path, self.root):
            raise UsageError(f"The {what} '{raw[:200]}' is outside the workspace (or hidden): "
                             "MCP tools read and write only the workspace's own files")
        return path

    def own(self, path: Path, what: str = "file") -> Path:
        """``path``, a file or folder of the workspace a tool found by name, when it really is
        the workspace's: UsageError when it is a link that leads outside (or to a hidden entry)."""
        path = Path(path)
        if not path.is_symlink() and not path.exists():
            return path  # nothing there to read; a write creates it in place
        try:
            real = path.resolve()
        except (OSError, RuntimeError):  # a link loop
            real = None
        if real is None or not self._inside(real, self.root):
            shown = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) \
                else path.name
            raise UsageError(f"The {what} '{shown}' is a link that leads outside the workspace, and "
                             "MCP tools read and write only the workspace's own files: replace the "
                             "link with a copy of the file")
        return path

    def readable_folder(self, raw: str) -> Path:
        """A file or folder to ingest: inside the workspace, or under an allowed root."""
        path = self._resolve(raw, "folder")
        if self._inside(path, self.root) or any(self._inside(path, base)
                                                for base in self.allowed_roots):
            return path
        raise UsageError(f"'{raw[:200]}' is outside the workspace: to let MCP tools ingest it, "
                         "add its folder to [mcp] allowed_roots in kurt.toml")


def check_url(ws, store, raw: str) -> str:
    """A URL a tool was asked to add, normalized; UsageError when the CLI would refuse it, or
    when it points at a private address of a site the workspace does not know."""
    import asyncio

    from kurt.ingest.addresses import AddressPolicy
    from kurt.ingest.urls import check_user_url
    from kurt.store.documents import web_origins

    if len(raw) > MAX_PATH or "\x00" in raw:
        raise UsageError("That URL is too long or holds a NUL byte")
    url = check_user_url(raw)
    config = ws.config
    policy = AddressPolicy(web_origins(store), allow_private=(
        config.ingest.allow_private_addresses or config.mcp.allow_private_urls))
    refusal = asyncio.run(policy.check(url))
    if refusal:
        raise UsageError(f"Refused {url}: {refusal.split('; ')[0]}; MCP tools reach private "
                         "addresses only with [mcp] allow_private_urls = true in kurt.toml")
    return url
