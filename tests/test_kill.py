"""A build killed at any moment (SIGKILL, no clean-up) leaves a whole, usable workspace."""

from __future__ import annotations

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
