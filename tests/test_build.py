"""Graph building: the bulk insertion writes what networkx's own calls would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import corpus_records

import plankg.graph.build as build
from plankg.graph.build import Graph, build_graph
from plankg.model import DocumentRecord


def _layout(G: Graph) -> tuple[list[Any], list[Any], list[Any]]:
    """Everything the graph holds, in the orders it gives it: nodes, out-edges, in-edges."""
    nodes = [(n, d) for n, d in G.nodes(data=True)]
    out_edges = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
    in_edges = [(n, list(G.in_edges(n, keys=True, data=True))) for n in G]
    return nodes, out_edges, in_edges


@pytest.mark.parametrize("corpus", ["seeds", "cascade"])
def test_the_bulk_insertion_builds_what_networkx_calls_build(corpus: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             seed_records: dict[str, DocumentRecord]) -> None:
    records = corpus_records(corpus, tmp_path, seed_records, provinces=2, wards=3, seed=11)
    direct = build_graph(records, link=False)

    def node(self: build._Insert, n: str, attrs: dict[str, Any]) -> None:
        self.G.add_node(n, **attrs)

    def edge(self: build._Insert, u: str, v: str, key: str, attrs: dict[str, Any]) -> None:
        self.G.add_edge(u, v, key=key, **attrs)

    monkeypatch.setattr(build._Insert, "node", node)
    monkeypatch.setattr(build._Insert, "edge", edge)
    through_networkx = build_graph(records, link=False)
    assert direct.number_of_edges() > direct.number_of_nodes() > 100
    assert _layout(direct) == _layout(through_networkx)
    # networkx's invariant: an edge's attributes are one dictionary, seen from both ends.
    assert all(direct._succ[u][v] is direct._pred[v][u] for u, v, _k in direct.edges(keys=True))


def test_an_edge_to_a_node_not_yet_added_adds_it_bare() -> None:
    G = Graph()
    insert = build._Insert(G)
    insert.edge("a", "b", "part_of", {"relation": "part_of"})
    insert.node("b", {"kind": "section"})
    insert.edge("a", "b", "part_of", {"score": 1})
    reference = Graph()
    reference.add_edge("a", "b", key="part_of", relation="part_of")
    reference.add_node("b", kind="section")
    reference.add_edge("a", "b", key="part_of", score=1)
    assert _layout(G) == _layout(reference)


def test_every_parent_pattern_spans_the_whole_name() -> None:
    # parent_agency expands a pattern by substituting it once over the name: one that matched
    # only a prefix would leave the rest of the agency's name in its parent's.
    for rx, _template in build._PARENTS:
        assert rx.pattern.startswith("^") and rx.pattern.endswith("$"), rx.pattern


@pytest.mark.parametrize(("name", "province", "parent"), [
    ("Phòng Văn hóa - Xã hội xã Tân Phong", "tỉnh Lai Châu", "UBND xã Tân Phong"),
    ("Sở Lao động - Thương binh và Xã hội tỉnh Lai Châu", None, "UBND tỉnh Lai Châu"),
    ("Thông tấn xã Việt Nam", None, None),  # the news agency: no commune's body
    ("Hợp tác xã Nông nghiệp Tân Phong", "tỉnh Lai Châu", None),  # a cooperative
])
def test_whose_body_an_agency_is(name: str, province: str | None, parent: str | None) -> None:
    assert build.parent_agency(name, province) == parent
