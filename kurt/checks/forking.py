"""Forked worker processes for the checks: where they can be used safely.

A run of ``kurt draft check`` shares its drafts and the analyses of their sources with worker
processes by forking (kurt.checks.runner, kurt.checks.grounding.analysis_cache): nothing is
pickled on the way in. Forking is used on Linux only: Windows has no fork, and on macOS a
forked child of a process that loaded some system frameworks can crash (Python's own default
there is spawn). Elsewhere the run stays in one process.
"""

from __future__ import annotations

import sys


def fork_context():
    """The multiprocessing context that forks, or None where the checks do not fork."""
    if not sys.platform.startswith("linux"):
        return None
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:
        return None
