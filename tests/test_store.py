"""The graph store: neighbourhood loads answer exactly as the whole graph does."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from plankg.graph import queries
from plankg.graph.store import read_neighbourhood
from plankg.graph.workspace import FORMAT_VERSION, graph_data, load_graph, load_subgraph


@pytest.fixture(scope="module")
def full(seed_workspace: Path) -> nx.MultiDiGraph:
    return load_graph(seed_workspace)


def _ids(G: nx.MultiDiGraph, kind: str) -> list[str]:
    return sorted(n for n, d in G.nodes(data=True) if d["kind"] == kind)


def test_lineage_from_the_neighbourhood_equals_the_whole_graph(seed_workspace: Path, full: nx.MultiDiGraph) -> None:
    for node in _ids(full, "task") + _ids(full, "target") + _ids(full, "document"):
        part = load_subgraph(seed_workspace, node, direction="up")
        assert queries.lineage(part, node) == queries.lineage(full, node), node
        assert part.number_of_nodes() < full.number_of_nodes()


def test_cascade_from_the_neighbourhood_equals_the_whole_graph(seed_workspace: Path, full: nx.MultiDiGraph) -> None:
    for node in _ids(full, "document") + _ids(full, "task")[:80]:
        part = load_subgraph(seed_workspace, node, direction="down")
        assert queries.cascade(part, node) == queries.cascade(full, node), node


def test_show_from_the_neighbourhood_equals_the_whole_graph(seed_workspace: Path, full: nx.MultiDiGraph) -> None:
    for node in _ids(full, "agency")[:20] + _ids(full, "task")[:20] + _ids(full, "document"):
        part = load_subgraph(seed_workspace, node, direction="around")
        assert queries.show(part, node) == queries.show(full, node), node


def test_unknown_start_gives_an_empty_graph(seed_workspace: Path) -> None:
    G = read_neighbourhood(seed_workspace / "graph.sqlite", "nope", direction="up", format_version=FORMAT_VERSION)
    assert G.number_of_nodes() == 0


def test_full_load_round_trips(seed_workspace: Path, full: nx.MultiDiGraph) -> None:
    assert graph_data(load_graph(seed_workspace)) == graph_data(full)
