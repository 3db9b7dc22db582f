"""The processes a build starts (parsing and linking workers, the store's writers) follow it.

Two ways of stopping a build must stop its workers with it:

* Ctrl-C: the terminal sends SIGINT to the whole process group, workers included. A worker
  interrupted on its own can die holding a lock of the queues it shares with the build and
  the other workers, which then wait for it forever (the build hung after Ctrl-C in 2 of 17
  tries while parsing a national corpus). Workers ignore SIGINT: the build is interrupted,
  and stops them itself.
* A build killed outright (SIGKILL, the out-of-memory killer) runs no clean-up. Its workers
  would live on, waiting for work that never comes, each holding the workspace's lock it
  inherited, so the next build of that workspace would wait for them forever. On Linux each
  forked worker asks the kernel to kill it when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
  elsewhere nothing is asked.
"""

from __future__ import annotations

import ctypes
import functools
import multiprocessing as mp
import os
import signal
from multiprocessing.context import BaseContext
from typing import Any

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def forking_context() -> tuple[BaseContext, int | None]:
    """The default start method's context, and the pid a worker started by it follows:
    this process's when the worker is forked from it; None otherwise (a ``forkserver`` or
    ``spawn`` worker's parent is not this process, and it inherits no lock)."""
    context = mp.get_context()
    return context, os.getpid() if context.get_start_method() == "fork" else None


def start_worker(parent: int | None) -> None:
    """Called first in a worker: Ctrl-C is left to the build, and a worker forked by
    ``parent`` (its pid, read before forking) is killed when ``parent`` dies, at once if it
    already has."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is None:
        return
    prctl = c_function("prctl")
    if prctl is None:  # not Linux
        return
    if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    if os.getppid() != parent:  # the parent died between the fork and the request
        os.kill(os.getpid(), signal.SIGKILL)


@functools.cache
def c_function(name: str) -> Any:
    """The C library's function ``name`` (``prctl``, glibc's ``malloc_trim``), or None where
    the C library has none, or the program's symbols cannot be read."""
    try:
        return getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError, TypeError):
        return None
