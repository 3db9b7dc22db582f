"""GraphML, GEXF, CSV and JSON exports: readable back, one type per attribute, one line per row."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import networkx as nx
import pytest
from small_graph import PROVINCE, build_small_graph

from plankg.errors import ExportError
from plankg.exports import export_graph, write_bytes
from plankg.exports.rdf import serialize
from plankg.exports.tables import to_csv, to_gexf, to_graphml, to_json
from plankg.graph import build_graph
from plankg.graph.workspace import graph_data
from plankg.model import DocumentRecord


@pytest.fixture(scope="module")
def seed_graph(seed_records: dict[str, DocumentRecord]) -> nx.MultiDiGraph:
    return build_graph(seed_records.values())


def test_graphml_reads_back_with_the_same_nodes_and_edges(seed_graph: nx.MultiDiGraph) -> None:
    back = nx.read_graphml(io.BytesIO(to_graphml(seed_graph)))
    assert back.number_of_nodes() == seed_graph.number_of_nodes()
    assert back.number_of_edges() == seed_graph.number_of_edges()
    target = next(n for n, d in seed_graph.nodes(data=True) if d["kind"] == "target" and isinstance(d["value"], list))
    assert json.loads(back.nodes[target]["value"]) == seed_graph.nodes[target]["value"]
    assert isinstance(back.nodes[target]["year"], int)
    assert json.loads(back.nodes[target]["lines"]) == seed_graph.nodes[target]["lines"]


def test_gexf_reads_back_with_the_same_nodes_and_edges(seed_graph: nx.MultiDiGraph) -> None:
    back = nx.read_gexf(io.BytesIO(to_gexf(seed_graph)))
    assert back.number_of_nodes() == seed_graph.number_of_nodes()
    assert back.number_of_edges() == seed_graph.number_of_edges()
    document = next(n for n, d in seed_graph.nodes(data=True) if d["kind"] == "document" and d["placeholder"])
    assert back.nodes[document]["placeholder"] is True
    assert back.nodes[document]["label"] == seed_graph.nodes[document]["label"]


def test_every_attribute_has_one_type() -> None:
    G = nx.MultiDiGraph()
    G.add_node("a", id="a", kind="target", label="a", value=45.83, year=2030, flag=True)
    G.add_node("b", id="b", kind="target", label="b", value=[9, 11], year=None, flag=False)
    G.add_node("c", id="c", kind="target", label="c", value=3, year=2025)
    back = nx.read_graphml(io.BytesIO(to_graphml(G)))
    assert [back.nodes[n]["value"] for n in "abc"] == ["45.83", "[9, 11]", "3"]
    assert back.nodes["a"]["year"] == 2030 and "year" not in back.nodes["b"]
    assert back.nodes["a"]["flag"] is True and back.nodes["b"]["flag"] is False
    gexf = nx.read_gexf(io.BytesIO(to_gexf(G)))
    assert [gexf.nodes[n]["value"] for n in "abc"] == ["45.83", "[9, 11]", "3"]


def test_csv_has_a_header_and_one_line_per_node_and_edge(seed_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    nodes_csv, edges_csv = to_csv(seed_graph, tmp_path / "out")
    assert nodes_csv.read_bytes().startswith(b"\xef\xbb\xbfid,") and edges_csv.read_bytes().startswith(b"\xef\xbb\xbf")
    node_lines = nodes_csv.read_text(encoding="utf-8-sig").splitlines()
    edge_lines = edges_csv.read_text(encoding="utf-8-sig").splitlines()
    assert len(node_lines) == 1 + seed_graph.number_of_nodes()
    assert len(edge_lines) == 1 + seed_graph.number_of_edges()
    assert node_lines[0].startswith("id,kind,label,")
    assert edge_lines[0].startswith("source,target,key,relation,")
    rows = list(csv.DictReader(io.StringIO(nodes_csv.read_text(encoding="utf-8-sig"))))
    assert len(rows) == seed_graph.number_of_nodes()
    task = next(r for r in rows if r["kind"] == "task" and r["lead"] != "[]")
    assert json.loads(task["lead"]) == seed_graph.nodes[task["id"]]["lead"]
    assert task["deadline_continuous"] in ("true", "false")


def test_csv_keeps_one_line_per_node_when_a_text_has_line_breaks(tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node("a", id="a", kind="task", label="a", text="dòng 1\ndòng 2\r\ndòng 3")
    nodes_csv, _ = to_csv(G, tmp_path)
    assert nodes_csv.read_text(encoding="utf-8-sig").splitlines()[1] == "a,task,a,dòng 1 dòng 2 dòng 3"


def test_csv_to_an_unwritable_place_is_an_export_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="cannot write"):
        to_csv(nx.MultiDiGraph(), blocker / "sub")


def test_json_is_the_node_link_data_of_the_contract() -> None:
    G = build_small_graph()
    data = json.loads(to_json(G))
    assert data == json.loads(json.dumps(graph_data(G)))
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])
    assert all({"id", "kind", "label"} <= set(n) for n in data["nodes"])
    assert all("relation" in e for e in data["edges"])
    assert "Kế hoạch" in to_json(G)  # ensure_ascii=False
    back = nx.node_link_graph(data, edges="edges")
    assert back.nodes[PROVINCE]["number"] == "12/KH-UBND"


def test_exports_do_not_depend_on_insertion_order() -> None:
    G = build_small_graph()
    H = nx.MultiDiGraph()
    nodes, edges = list(G.nodes(data=True)), list(G.edges(keys=True, data=True))
    random.Random(3).shuffle(nodes)
    random.Random(3).shuffle(edges)
    H.add_nodes_from(nodes)
    H.add_edges_from(edges)
    assert to_graphml(H) == to_graphml(G)
    assert to_gexf(H) == to_gexf(G)
    assert to_json(H) == to_json(G)


def test_export_graph_gives_every_single_file_format(tmp_path: Path) -> None:
    G = build_small_graph()
    assert export_graph(G, "json").decode("utf-8") == to_json(G) + "\n"
    assert export_graph(G, "graphml") == to_graphml(G)
    assert export_graph(G, "gexf") == to_gexf(G)
    for fmt in ("turtle", "nt", "jsonld", "xml"):
        assert export_graph(G, fmt) == serialize(G, fmt)
    with pytest.raises(ExportError, match="csv is two files"):
        export_graph(G, "csv")
    with pytest.raises(ExportError, match="unknown export format 'dot'"):
        export_graph(G, "dot")
    write_bytes(tmp_path / "g.ttl", export_graph(G, "turtle"))
    assert (tmp_path / "g.ttl").read_bytes() == serialize(G, "turtle")
    with pytest.raises(ExportError, match="cannot write"):
        write_bytes(tmp_path / "missing" / "g.ttl", b"")
