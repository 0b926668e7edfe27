"""The store-level tests run against both stores: SQLite, and a real PostgreSQL database
of each test's own (skipped with the reason when no server can be reached)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def store_kind(request) -> str:
    return request.param
