"""``kurt store migrate``: bring the workspace's store (SQLite or PostgreSQL) to this
version's schema, and say where it stands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class MigrateReport:
    store: str  # the SQLite file, or the PostgreSQL URL without password
    dialect: str
    version: int
    applied: int

    def to_dict(self) -> dict:
        return {"store": self.store, "dialect": self.dialect, "version": self.version,
                "applied": self.applied}


def migrate_store(workspace) -> MigrateReport:
    """Open the workspace's store without migrating it, then apply what is pending."""
    from kurt.store.db import Store

    url = workspace.store_url
    if url:
        from kurt.store.postgres import PostgresStore

        store = PostgresStore(url)
        where = store.path
    else:
        store = Store(workspace.db_path)
        where = workspace.relative(workspace.db_path)
        if not workspace.db_path.exists():
            store = Store.open(workspace.db_path)  # creates it, applying every migration
            applied = store.schema_version()
            store.close()
            return MigrateReport(where, "sqlite", applied, applied)
    try:
        applied = store.migrate()
        return MigrateReport(str(where), store.dialect, store.schema_version(), applied)
    finally:
        store.close()
