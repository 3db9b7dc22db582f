"""A build pauses the cycle collector and always restores it."""

from __future__ import annotations

import gc
from pathlib import Path

from conftest import CORPUS

from plankg.graph.workspace import build_workspace


def test_build_restores_the_collector(tmp_path: Path) -> None:
    assert gc.isenabled()
    build_workspace([CORPUS / "000_52f910eca6da929a.txt"], tmp_path / "ws")
    assert gc.isenabled()
    build_workspace([tmp_path / "missing.txt"], tmp_path / "ws2")
    assert gc.isenabled()


def test_a_build_lets_its_graph_go_without_the_cycle_collector(tmp_path: Path) -> None:
    # networkx's cached views make a graph a reference cycle: left to the collector, a national
    # graph cost a full trace (1.35 s) when the build ended.
    import networkx as nx

    gc.collect()
    before = {id(o) for o in gc.get_objects() if isinstance(o, nx.MultiDiGraph)}
    gc.disable()
    try:
        build_workspace([CORPUS], tmp_path / "ws")
        left = [o for o in gc.get_objects() if isinstance(o, nx.MultiDiGraph) and id(o) not in before]
        assert all(len(graph) == 0 for graph in left)
    finally:
        gc.enable()
