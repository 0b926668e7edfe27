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

    @property
    def interactive(self) -> bool:
        """True when stderr is a terminal (progress bars go there)."""
        return sys.stderr.isatty()

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(App)
