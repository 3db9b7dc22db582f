"""The graph store: neighbourhood loads answer exactly as the whole graph does."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from conftest import SEED_NAMES
from hypothesis import given, settings
from hypothesis import strategies as st

from plankg.graph import queries
from plankg.graph.build import build_graph
from plankg.graph.store import read_neighbourhood, write_graph
from plankg.graph.subgraph import Subgraph
from plankg.graph.workspace import FORMAT_VERSION, graph_data, load_graph, load_subgraph
from plankg.model import DocumentRecord


@pytest.fixture(scope="module")
def graphs(seed_workspace: Path, cascade_workspace: Path) -> dict[Path, nx.MultiDiGraph]:
    """The whole graph of the seed workspace and of the synthetic cascade's."""
    return {seed_workspace: load_graph(seed_workspace), cascade_workspace: load_graph(cascade_workspace)}


@pytest.fixture()
def full(workspace: Path, graphs: dict[Path, nx.MultiDiGraph]) -> nx.MultiDiGraph:
    return graphs[workspace]


def _ids(G: nx.MultiDiGraph, kind: str) -> list[str]:
    return sorted(n for n, d in G.nodes(data=True) if d["kind"] == kind)


def test_lineage_from_the_neighbourhood_equals_the_whole_graph(workspace: Path, full: nx.MultiDiGraph) -> None:
    for node in _ids(full, "task") + _ids(full, "target") + _ids(full, "document"):
        part = load_subgraph(workspace, node, direction="up")
        assert queries.lineage(part, node) == queries.lineage(full, node), node
        assert part.number_of_nodes() < full.number_of_nodes()


def test_cascade_from_the_neighbourhood_equals_the_whole_graph(workspace: Path, full: nx.MultiDiGraph) -> None:
    for node in _ids(full, "document") + _ids(full, "task")[:80]:
        part = load_subgraph(workspace, node, direction="down")
        assert queries.cascade(part, node) == queries.cascade(full, node), node


def test_show_from_the_neighbourhood_equals_the_whole_graph(workspace: Path, full: nx.MultiDiGraph) -> None:
    for node in _ids(full, "agency")[:20] + _ids(full, "task")[:20] + _ids(full, "document"):
        part = load_subgraph(workspace, node, direction="around")
        assert queries.show(part, node) == queries.show(full, node), node


def test_unknown_start_gives_an_empty_graph(seed_workspace: Path) -> None:
    G = read_neighbourhood(seed_workspace / "graph.sqlite", "nope", direction="up", format_version=FORMAT_VERSION)
    assert G.number_of_nodes() == 0


_NAMES = st.sampled_from("abcde")


@given(nodes=st.lists(st.tuples(_NAMES, st.dictionaries(st.sampled_from("xy"), st.integers(0, 3), max_size=2))),
       edges=st.lists(st.tuples(_NAMES, _NAMES, st.sampled_from(["part_of", "lead"]), st.integers(0, 3))))
@settings(max_examples=200, deadline=None)
def test_a_subgraph_reads_as_networkx_does(nodes: list[tuple[str, dict[str, int]]],
                                          edges: list[tuple[str, str, str, int]]) -> None:
    """Whatever order nodes and edges come in (an edge before its ends, a node or an edge
    given twice), a Subgraph answers as networkx's MultiDiGraph: the same nodes and
    attributes, the same edges in the same order, the same adjacency."""
    ours, theirs = Subgraph(), nx.MultiDiGraph()
    for G in (ours, theirs):
        for i, (source, target, key, score) in enumerate(edges):
            G.add_nodes_from(nodes[i:i + 1])
            G.add_edge(source, target, key=key, score=score)
        G.add_nodes_from(nodes[len(edges):])
    assert list(ours.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(ours.nodes) == list(theirs.nodes) and ours.number_of_nodes() == theirs.number_of_nodes()
    assert ours.number_of_edges() == theirs.number_of_edges()
    for node in theirs:
        assert ours.nodes[node] == theirs.nodes[node] and node in ours and node in ours.nodes
        assert list(ours.out_edges(node, data=True)) == list(theirs.out_edges(node, data=True))
        assert list(ours.in_edges(node, data=True)) == list(theirs.in_edges(node, data=True))
        assert queries.out_links(ours, node) == queries.out_links(theirs, node)
        assert queries.in_links(ours, node) == queries.in_links(theirs, node)
    assert "z" not in ours and "z" not in ours.nodes
    copy = ours.to_networkx()
    assert list(copy.nodes(data=True)) == list(theirs.nodes(data=True))
    assert list(copy.edges(keys=True, data=True)) == list(theirs.edges(keys=True, data=True))


def test_a_neighbourhood_query_does_not_import_networkx(seed_workspace: Path) -> None:
    """lineage, cascade and show from a fresh process answer without networkx, whose import
    would take a third of their time (plankg.graph.subgraph)."""
    G = load_graph(seed_workspace)
    task = _ids(G, "task")[0]
    script = ("import sys; from pathlib import Path; from plankg.graph import queries; "
              "from plankg.graph.workspace import load_subgraph; ws, task = Path(sys.argv[1]), sys.argv[2]; "
              "queries.lineage(load_subgraph(ws, task, direction='up'), task); "
              "queries.cascade(load_subgraph(ws, task, direction='down'), task); "
              "queries.show(load_subgraph(ws, task, direction='around'), task); "
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'networkx'))")
    run = subprocess.run([sys.executable, "-c", script, str(seed_workspace), task],
                         capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_full_load_round_trips(seed_workspace: Path, graphs: dict[Path, nx.MultiDiGraph],
                               seed_records: dict[str, DocumentRecord]) -> None:
    """The stored graph reads back as the graph built in memory from the same records."""
    assert graph_data(graphs[seed_workspace]) == graph_data(build_graph(seed_records[name] for name in SEED_NAMES))


_TABLES = {"meta": "key", "nodes": "id", "edges": "source, target, key", "search": "id", "gaps": "seq",
           "deadlines": "id", "agency_keys": "id"}


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as con:
        rows = {table: con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
                for table, order in _TABLES.items()}
        rows["schema"] = con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    return rows


def test_a_store_written_by_two_processes_equals_one_written_by_one(workspace: Path, tmp_path: Path) -> None:
    G = load_graph(workspace)
    write_graph(tmp_path / "one.sqlite", G, format_version=FORMAT_VERSION, jobs=1)
    write_graph(tmp_path / "two.sqlite", G, format_version=FORMAT_VERSION, jobs=2)
    one, two = _rows(tmp_path / "one.sqlite"), _rows(tmp_path / "two.sqlite")
    assert one == two
    assert len(one["nodes"]) == G.number_of_nodes() and one["search"] and one["gaps"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.sqlite", "two.sqlite"]  # no part left behind


def test_a_failed_writer_child_is_replaced_by_this_process(workspace: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from plankg.graph import store

    G = load_graph(workspace)
    write_graph(tmp_path / "one.sqlite", G, format_version=FORMAT_VERSION, jobs=1)

    def fail(*args: object) -> None:
        raise SystemExit(3)

    monkeypatch.setattr(store, "_child_main", fail)
    write_graph(tmp_path / "two.sqlite", G, format_version=FORMAT_VERSION, jobs=2)
    assert _rows(tmp_path / "one.sqlite") == _rows(tmp_path / "two.sqlite")


def test_a_failed_write_leaves_no_file_and_no_writer_behind(workspace: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    from plankg.graph import store

    G = load_graph(workspace)

    def full_disk(G: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "_edge_rows", full_disk)
    with pytest.raises(OSError):
        write_graph(tmp_path / "g.sqlite", G, format_version=FORMAT_VERSION, jobs=2)
    assert list(tmp_path.iterdir()) == [] and multiprocessing.active_children() == []
