"""The processes a build forks (parsing and linking workers, the store's writers) die with it.

A build killed outright (SIGKILL, the out-of-memory killer, a closed terminal's ``kill -9``)
runs no clean-up. Its forked workers would live on: a parsing or linking worker waits for
work that never comes, and each holds the workspace's lock it inherited, so the next build
of that workspace waits for them forever. On Linux each forked child asks the kernel to kill
it when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere nothing is asked.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
from multiprocessing.context import BaseContext

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def forking_context() -> tuple[BaseContext, int | None]:
    """The default start method's context, and the pid a child started by it should die
    with: this process's when the child is forked from it; None otherwise (a ``forkserver``
    or ``spawn`` child's parent is not this process, and it inherits no lock)."""
    context = mp.get_context()
    return context, os.getpid() if context.get_start_method() == "fork" else None


def die_with(parent: int | None) -> None:
    """Called first in a child forked by ``parent`` (its pid, read before forking): the child
    is killed when ``parent`` dies, and at once if it already has."""
    if parent is None:
        return
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux (no prctl), or no symbols of the program
        return
    if prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    if os.getppid() != parent:  # the parent died between the fork and the request
        os.kill(os.getpid(), signal.SIGKILL)
