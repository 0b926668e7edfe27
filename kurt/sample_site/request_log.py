"""The request log of a sample site (what tests assert on)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestRecord:
    """One request seen by the server."""

    method: str
    path: str
    status: int
    user_agent: str | None = None
    if_none_match: str | None = None
    if_modified_since: str | None = None
    client: str | None = None
    at: float = 0.0


@dataclass
class RequestLog:
    """Thread-safe log of requests served (for assertions in tests)."""

    _records: list[RequestRecord] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, rec: RequestRecord) -> None:
        """Append one record."""
        with self._lock:
            self._records.append(rec)

    def all(self) -> list[RequestRecord]:
        """Return a snapshot of every record."""
        with self._lock:
            return list(self._records)

    def filter(self, *, path: str | None = None, method: str | None = None,
               status: int | None = None, prefix: str | None = None) -> list[RequestRecord]:
        """Return the records matching every given criterion."""
        return [
            r for r in self.all()
            if (path is None or r.path == path)
            and (method is None or r.method == method)
            and (status is None or r.status == status)
            and (prefix is None or r.path.startswith(prefix))
        ]

    def count(self, **criteria: Any) -> int:
        """Count the records matching ``filter(**criteria)``."""
        return len(self.filter(**criteria))

    def paths(self) -> list[str]:
        """Return the requested paths, in order."""
        return [r.path for r in self.all()]

    def clear(self) -> None:
        """Forget every record."""
        with self._lock:
            self._records.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)
