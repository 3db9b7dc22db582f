"""A build killed at any moment (SIGKILL, no clean-up) leaves a whole, usable workspace."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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

STAGES = ["the parse", "the link"]


def _start_build(corpus: Path, workspace: Path, **popen: Any) -> subprocess.Popen[bytes]:
    write_cascade(corpus, provinces=8, wards=30, variants=1)  # parsed and linked by workers
    # (SIGINT as a terminal's shell leaves it, whatever this process was started with: a
    # shell's background job, as CI may run the tests in, ignores it.)
    return subprocess.Popen([sys.executable, "-c", _BUILD_IN_TWO, str(corpus), str(workspace)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **popen)


def _workers_in(process: subprocess.Popen[bytes], stage: str) -> set[int]:
    """The build's workers once ``stage`` has started them: the parsing workers are the
    first it forks, those of linking (and the store's writer) the next."""
    seen: set[int] = set()
    while not (workers := _children(process.pid)) or (stage == "the link" and workers <= seen):
        seen |= workers
        assert process.poll() is None, f"the build ended before {stage}"
        time.sleep(0.005)
    return workers


@contextlib.contextmanager
def _a_build_in(stage: str, tmp_path: Path, **popen: Any) -> Iterator[tuple[subprocess.Popen[bytes], set[int]]]:
    """A build of a small cascade (``tmp_path``/corpus into ``tmp_path``/ws) once ``stage`` has
    started its workers: its process and those workers. Killed on leaving, if still running."""
    process = _start_build(tmp_path / "corpus", tmp_path / "ws", **popen)
    try:
        yield process, _workers_in(process, stage)
    finally:
        process.kill()
        process.wait(timeout=60)


def _until_none(find: Callable[[], set[int]]) -> set[int]:
    """What ``find`` still finds after up to 10 s of asking again."""
    deadline = time.monotonic() + 10
    while (found := find()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def _left_running(workers: set[int]) -> set[int]:
    """Those of ``workers`` still running 10 s on (killed then, not left behind by a failure)."""
    left = _until_none(lambda: {pid for pid in workers if _alive(pid)})
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return left


def _holding(path: Path) -> set[int]:
    """Live processes with ``path`` open (from /proc)."""
    found = set()
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        with contextlib.suppress(OSError):
            if os.readlink(fd) == str(path) and _alive(int(fd.parent.parent.name)):
                found.add(int(fd.parent.parent.name))
    return found


def _ignores_sigint(pid: int) -> bool | None:
    """Whether ``pid`` ignores SIGINT (its SigIgn mask in /proc); None once it has ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    mask = next(int(line.split()[1], 16) for line in status.splitlines() if line.startswith("SigIgn:"))
    return bool(mask & (1 << (signal.SIGINT - 1)))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
@pytest.mark.parametrize("stage", STAGES)
def test_a_killed_build_leaves_no_worker_holding_the_workspace(tmp_path: Path, stage: str) -> None:
    # Killed outright, a build runs no clean-up: its forked workers must die with it, or they
    # would wait for work forever, holding the workspace's lock (the next build would wait).
    with _a_build_in(stage, tmp_path) as (process, workers):
        os.kill(process.pid, signal.SIGKILL)
    assert not _left_running(workers), f"workers of a build killed in {stage} still run"
    # Nor any process it started after those (a worker forked as the build was killed).
    workspace = tmp_path / "ws"
    assert not _until_none(lambda: _holding(workspace / "build.lock")), f"the lock of a build killed in {stage} is held"
    report = build_workspace([tmp_path / "corpus"], workspace, wait=False)  # the lock is free
    assert report.written


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("stage", STAGES)
def test_workers_leave_ctrl_c_to_the_build(tmp_path: Path, stage: str) -> None:
    # Ctrl-C reaches the whole process group. A worker interrupted on its own could die
    # holding a lock of the queues it shares with the others, and the build hung after Ctrl-C
    # (2 of 17 tries while parsing a national corpus): workers ignore SIGINT, the build stops them.
    with _a_build_in(stage, tmp_path) as (process, workers):
        # Each worker ignores SIGINT from its start (or, until it ends, does not).
        while False in (ignoring := {pid: _ignores_sigint(pid) for pid in workers}).values():
            time.sleep(0.005)
        assert True in ignoring.values(), f"the workers of {stage} would die of Ctrl-C"
        for pid in workers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGINT)
        assert process.wait(timeout=120) == 0  # the build goes on, unharmed
    assert load_graph(tmp_path / "ws").number_of_nodes()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("stage", STAGES)
def test_ctrl_c_stops_a_build_and_its_workers_at_once(tmp_path: Path, stage: str) -> None:
    with _a_build_in(stage, tmp_path, process_group=0) as (process, workers):
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C
        assert process.wait(timeout=30) != 0
    assert not _left_running(workers), f"workers of a build interrupted in {stage} still run"
    assert not (tmp_path / "ws").exists()  # a new workspace's first build: nothing left behind


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_the_c_functions_a_build_calls_are_found_or_none() -> None:
    """prctl (which makes workers die with their build) is found on Linux; a function the C
    library lacks is None, not an error."""
    from plankg.graph.processes import c_function

    assert c_function("prctl") is not None
    assert c_function("plankg_no_such_function") is None
