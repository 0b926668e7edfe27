"""Progress bars on stderr for long runs (fetching, indexing, embedding), only on a terminal.

Each bar shows the count done of the total, the rate, the failures (when the work
can fail item by item), the time spent and the time left. Piped or redirected,
nothing is drawn.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Update = Callable[..., None]  # update(done, total, failed=0)


class ProgressBars:
    """Bars drawn one under the other in one live display; ``bar(label)`` adds one."""

    def __init__(self, progress):
        self.progress = progress

    def bar(self, label: str, *, failures: bool = False) -> Update:
        """A ``update(done, total, failed=0)`` callback; the bar appears at its first call."""
        task = None

        def update(done: int, total: int, failed: int = 0) -> None:
            nonlocal task
            if task is None:
                task = self.progress.add_task(label, total=None, rate=0.0,
                                              failed=f"{failed} failed" if failures else "")
            elapsed = self.progress.tasks[task].elapsed or 0.0
            self.progress.update(task, completed=done, total=total,
                                 failed=f"{failed} failed" if failures else "",
                                 rate=done / elapsed if elapsed > 0 else 0.0)

        return update


@contextmanager
def progress_bars(*, enabled: bool | None = None) -> Iterator[ProgressBars | None]:
    """Yield ``ProgressBars``, or None when stderr is not a terminal (or ``enabled`` is False)."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>6.1f}/s"),
        TextColumn("[red]{task.fields[failed]}"),
        TimeElapsedColumn(),
        TextColumn("elapsed,"),
        TimeRemainingColumn(),
        TextColumn("left"),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        yield ProgressBars(progress)


@contextmanager
def progress_bar(label: str, *, enabled: bool | None = None, failures: bool = True):
    """Yield one ``progress(done, total, failed=0)`` callback, or None when not on a terminal."""
    with progress_bars(enabled=enabled) as bars:
        yield None if bars is None else bars.bar(label, failures=failures)
