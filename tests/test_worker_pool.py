"""kurt.worker_pool: pool workers exit when the process that started them is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from kurt.worker_pool import worker_pool

DEADLINE = 15.0  # seconds a test waits for an orphaned worker to go


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_gone(pids: list[int], deadline: float = DEADLINE) -> list[int]:
    """The pids still alive after polling until ``deadline`` seconds have passed.

    Those are then killed, so that a failing test leaves no process behind.
    """
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if not any(alive(p) for p in pids):
            return []
        time.sleep(0.1)
    left = [p for p in pids if alive(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def start_parent(script: str) -> tuple[subprocess.Popen, list[int]]:
    """Run ``script`` in a Python subprocess; it prints its workers' pids on one line."""
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.strip(), "the parent script printed no worker pids"
    return proc, [int(p) for p in line.split()]


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def _pid_and_sigint(_) -> tuple[int, bool]:
    return os.getpid(), signal.getsignal(signal.SIGINT) == signal.SIG_IGN


def test_pool_runs_work_in_other_processes_that_leave_ctrl_c_to_the_parent():
    with worker_pool(2) as pool:
        results = set(pool.map(_pid_and_sigint, range(8)))
    assert results and all(pid != os.getpid() and ignored for pid, ignored in results)


@pytest.mark.skipif(os.name != "posix", reason="kill -9 of a POSIX parent")
def test_workers_exit_when_their_parent_is_killed():
    proc, workers = start_parent("""
        import os, sys, time
        from kurt.worker_pool import worker_pool

        def slow(_):
            time.sleep(0.3)
            return os.getpid()

        pool = worker_pool(2)
        pids = set(pool.map(slow, range(6)))
        print(*sorted(pids), flush=True)
        pool.submit(time.sleep, 3600)  # a worker busy for an hour, the other idle
        time.sleep(3600)
    """)
    assert len(workers) == 2 and all(alive(p) for p in workers)
    kill(proc)
    assert wait_gone(workers) == []


@pytest.mark.skipif(os.name != "posix", reason="kill -9 of a POSIX parent")
def test_the_parent_watcher_alone_ends_an_orphaned_worker():
    """The portable fallback, without the Linux death signal."""
    proc, workers = start_parent("""
        import multiprocessing, os, time
        from kurt.worker_pool import watch_parent

        def child(parent):
            watch_parent(parent, interval=0.1)
            time.sleep(3600)

        ctx = multiprocessing.get_context("fork")
        p = ctx.Process(target=child, args=(os.getpid(),))
        p.start()
        print(p.pid, flush=True)
        time.sleep(3600)
    """)
    assert all(alive(p) for p in workers)
    kill(proc)
    assert wait_gone(workers) == []


def _init_with(parent: int) -> None:
    from kurt.worker_pool import init_worker

    init_worker(parent)
    time.sleep(60)  # not reached: init_worker ends a worker whose parent is already gone


@pytest.mark.skipif(os.name != "posix", reason="fork")
def test_a_worker_whose_parent_is_already_gone_exits_at_once():
    import multiprocessing

    process = multiprocessing.get_context("fork").Process(target=_init_with, args=(os.getpid() + 10**6,))
    process.start()
    process.join(timeout=DEADLINE)
    assert process.exitcode == 1
