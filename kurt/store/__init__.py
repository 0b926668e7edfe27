"""The workspace database: schema, migrations and queries."""

from kurt.store.db import Store, utcnow

__all__ = ["Store", "utcnow"]
