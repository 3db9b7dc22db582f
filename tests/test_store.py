"""The graph store: neighbourhood loads answer exactly as the whole graph does."""

from __future__ import annotations

import contextlib
from pathlib import Path

import networkx as nx
import pytest

from plankg.graph import queries
from plankg.graph.store import read_neighbourhood, write_graph
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
