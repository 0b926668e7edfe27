"""The record of files Kurt installed into a workspace, with the hash of each copy it wrote.

Kurt keeps one JSON file per kind of installed file under ``.kurt/`` (agent
instruction files in ``agents.json``, format templates in ``templates.json``):
``{"version": 1, "<section>": {name: sha256}}``. A later run compares a file on
disk with the recorded hash: the same hash means nobody edited Kurt's copy, so
it may be refreshed; another hash means the user changed it, and it is kept.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["AgentFileResult", "InstallRecord", "sha256"]


def sha256(data: bytes | str) -> str:
    """Hex sha256 of ``data`` (text is hashed as UTF-8)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class InstallRecord:
    """One record file: ``.kurt/<filename>``, its hashes under the key ``section``."""

    filename: str  # e.g. "agents.json"
    section: str  # the JSON key holding name -> sha256, e.g. "files"

    def path(self, ws) -> Path:
        return ws.state_dir / self.filename

    def exists(self, ws) -> bool:
        return self.path(ws).exists()

    def read(self, ws) -> dict[str, str]:
        """Name -> sha256 of the copy Kurt last wrote (empty when unknown)."""
        path = self.path(ws)
        if not path.is_file():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a damaged record only means every existing copy counts as edited
        hashes = data.get(self.section, {}) if isinstance(data, dict) else {}
        return {str(k): str(v) for k, v in hashes.items() if isinstance(v, str)}

    def write(self, ws, hashes: dict[str, str]) -> None:
        from kurt.fileio import write_atomic

        payload = {"version": 1, self.section: dict(sorted(hashes.items()))}
        write_atomic(self.path(ws), json.dumps(payload, indent=2) + "\n")


@dataclass(frozen=True)
class AgentFileResult:
    """What a refresh did to one installed file (or MCP entry, ``kurt.mcp.register``)."""

    path: Path
    # created | updated (refreshed, unedited) | unchanged | edited (kept: the user
    # changed Kurt's copy) | foreign (kept: the file was there before Kurt)
    action: str
    note: str | None = None  # why a kept file was kept, when the action alone does not say

    @property
    def written(self) -> bool:
        return self.action in ("created", "updated")
