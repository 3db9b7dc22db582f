"""A build killed at any moment (SIGKILL, no clean-up) leaves a whole, usable workspace."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS

from plankg.graph.workspace import build_workspace, load_graph
from plankg.synthetic import write_cascade

WARD = "000_52f910eca6da929a.txt"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize("delay", [0.05, 0.3, 0.8, 1.5, 2.5])
def test_a_build_killed_midway_leaves_the_previous_workspace_usable(tmp_path: Path, delay: float) -> None:
    workspace = tmp_path / "ws"
    build_workspace([CORPUS / WARD], workspace)
    before = {d["source"] for _, d in load_graph(workspace).nodes(data=True) if d.get("source")}
    corpus = tmp_path / "corpus"
    write_cascade(corpus, provinces=8, wards=4, variants=2)
    process = subprocess.Popen([sys.executable, "-m", "plankg", "build", str(corpus), "--workspace", str(workspace)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    finished = process.poll() is not None
    if not finished:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    # Whatever the moment, the workspace loads: the old graph, or the whole new one.
    sources = {d["source"] for _, d in load_graph(workspace).nodes(data=True) if d.get("source")}
    new = {p.name for p in corpus.glob("*.txt")} | before
    assert sources in (before, new), (delay, finished, len(sources))
    # And the next build completes, sweeping what the killed one left behind.
    report = build_workspace([corpus], workspace)
    assert report.written and report.documents == len(new)
    assert not list(workspace.rglob("*.tmp"))


def _children(pid: int) -> set[int]:
    """Live processes whose parent is ``pid`` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            state, ppid = stat.read_text().rpartition(")")[2].split()[:2]
            if int(ppid) == pid and state != "Z":
                found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


#: A build with two workers, whatever the machine's cores.
_BUILD_IN_TWO = ("import sys; from pathlib import Path; from plankg.graph.workspace import build_workspace; "
                 "build_workspace([Path(sys.argv[1])], Path(sys.argv[2]), jobs=2)")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
@pytest.mark.parametrize("stage", ["the parse", "the link"])
def test_a_killed_build_leaves_no_worker_holding_the_workspace(tmp_path: Path, stage: str) -> None:
    # Killed outright, a build runs no clean-up: its forked workers must die with it, or they
    # would wait for work forever, holding the workspace's lock (the next build would wait).
    corpus, workspace = tmp_path / "corpus", tmp_path / "ws"
    write_cascade(corpus, provinces=8, wards=30, variants=1)  # parsed and linked by workers
    process = subprocess.Popen([sys.executable, "-c", _BUILD_IN_TWO, str(corpus), str(workspace)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        seen: set[int] = set()
        while not (workers := _children(process.pid)) or (stage == "the link" and workers <= seen):
            seen |= workers  # the parsing workers, until those forked after them appear
            assert process.poll() is None, f"the build ended before {stage}"
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while (left := {pid for pid in workers if _alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:  # (not left running by a failure here)
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"workers of a build killed in {stage} still run"
    report = build_workspace([corpus], workspace, wait=False)  # the lock is free
    assert report.written
