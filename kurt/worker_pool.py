"""Worker processes that never outlive the Kurt process that started them.

Every process pool Kurt starts (fetch's extraction workers, the index
pipeline's analysers) comes from :func:`worker_pool`, so they all share one
start method and one way to die with their parent. A parent killed with
``kill -9`` cannot shut its pool down, and a plain ``ProcessPoolExecutor``
worker then waits on its call queue for ever, reparented to PID 1. Here each
worker, as it starts:

- on Linux, asks the kernel for ``SIGKILL`` when its parent dies
  (``prctl(PR_SET_PDEATHSIG)``, through ctypes). The kernel sends it when the
  *thread* that forked the worker ends, so a pool must be used and shut down by
  the thread that submits to it first (both users do: the fetch event loop, the
  index loop);
- everywhere, starts a daemon thread that checks ``os.getppid()`` every
  ``WATCH_SECONDS`` and exits the worker when it is no longer the parent's pid
  (reparented to init or to a subreaper), the portable fallback;
- ignores Ctrl-C (SIGINT): stopping is the parent's business, which shuts the
  pool down cleanly;
- keeps the pool's ``context`` (``worker_context()``): one large read-only
  object every task needs (fetch's index vocabulary), handed over once when
  the worker starts (inherited by a forked worker, not pickled) instead of
  pickled into every task;
- freezes what it inherited from the parent (``gc.freeze``): the garbage
  collector no longer walks the parent's objects at every full collection.

Start method: ``fork`` on POSIX, ``spawn`` elsewhere. Not spawn/forkserver on
POSIX: a spawned child re-imports the main script with the current folder
first on ``sys.path``, and every workspace has a ``kurt/`` folder that would
shadow the package. A forked worker also shares the pages of the libraries
the parent imported before it started the pool.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time

WATCH_SECONDS = 0.5  # how often a worker checks that its parent is still alive
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# The context of the pool this process works for (set in a worker only, by init_worker):
# the one piece of per-process state a pool worker has, by the pool's design.
_WORKER: dict[str, object] = {}


def worker_pool(max_workers: int, context: object = None):
    """A ``ProcessPoolExecutor`` whose workers exit when this process dies.

    ``context``: what ``worker_context()`` returns in the workers (see the module docstring).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    mp_context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    return ProcessPoolExecutor(max_workers=max(1, max_workers), mp_context=mp_context,
                               initializer=init_worker, initargs=(os.getpid(), context))


def init_worker(parent_pid: int, context: object = None) -> None:
    """The initializer of every pool worker (see the module docstring)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the death signal was armed
        os._exit(1)
    watch_parent(parent_pid)
    _WORKER["context"] = context
    gc.freeze()  # what the worker inherited stays: collections skip it (and leave its pages shared)


def worker_context() -> object:
    """In a pool worker, the ``context`` its pool was started with (None elsewhere)."""
    return _WORKER.get("context")


def set_death_signal() -> bool:
    """Linux: have the kernel SIGKILL this process when its parent dies.

    Returns whether it was armed (False on other systems, or without a libc).
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):  # no libc symbols (static build): the watcher remains
        return False


def watch_parent(parent_pid: int, interval: float = WATCH_SECONDS) -> threading.Thread:
    """Start a daemon thread that ends this process once ``parent_pid`` is no longer its parent."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os._exit(1)  # not sys.exit: the worker's main thread is blocked on its call queue

    thread = threading.Thread(target=watch, name="kurt-parent-watch", daemon=True)
    thread.start()
    return thread
