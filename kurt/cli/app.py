"""The object every command receives: the workspace and store, found once."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cached_property

import click


@dataclass
class App:
    workspace_option: str | None = None
    _store: object = field(default=None, repr=False)

    @cached_property
    def workspace(self):
        from kurt.workspace import find_workspace

        return find_workspace(explicit=self.workspace_option)

    @property
    def config(self):
        return self.workspace.config

    @property
    def store(self):
        if self._store is None:
            self._store = self.workspace.open_store()
        return self._store

    def restoring_store(self):
        """The store opened even when it is missing or new (for 'kurt content rebuild')."""
        if self._store is None:
            self._store = self.workspace.open_store(restoring=True)
        return self._store

    def check_store(self) -> None:
        """At the end of a command: the database it wrote to is still the workspace's
        (StoreError when it was deleted or replaced meanwhile)."""
        if self._store is not None and self._store.wrote:
            self._store.check_file()

    def database_error(self, exc):
        """The one-line StoreError for an SQLite error about the database file, else None."""
        from kurt.store.db import database_error

        store = self._store
        if store is not None:
            return database_error(store.path, exc, read_only=store.read_only)
        found = self.__dict__.get("workspace")  # never look for the workspace here
        return database_error(found.db_path if found else ".kurt/kurt.db", exc)

    @property
    def interactive(self) -> bool:
        """True when stderr is a terminal (progress bars go there)."""
        return sys.stderr.isatty()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(App)
