"""The few rows of the store one query reads, as a graph that needs no networkx.

``lineage``, ``cascade`` and ``show`` read one neighbourhood of the store
(:func:`plankg.graph.store.read_neighbourhood`): tens to thousands of rows. Importing
networkx takes 0.15 s, a third of such a command's 0.44 s from a fresh process on the
development machine (benchmarks/README.md), for a graph it would hold for milliseconds.
:class:`Subgraph` holds those rows with the part of :class:`networkx.MultiDiGraph`'s
interface that :mod:`plankg.graph.queries` reads:

* ``G.nodes[n]``, ``G.nodes(data=True)``, ``n in G``, ``G.number_of_nodes()``;
* ``G.out_edges(n, data=True)`` and ``G.in_edges(n, data=True)``;
* the adjacency dictionaries ``G._succ`` and ``G._pred``, in networkx's layout
  (``_succ[u][v][key] = attributes``).

Nodes and edges keep the order they were added in, as networkx does, so a query answers
over a :class:`Subgraph` exactly as over the whole graph (tests/test_store.py). Whole-graph
work (building, linking, gaps, the viewer, the exports) keeps networkx.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:
    from plankg.graph.build import Graph

__all__ = ["Subgraph"]

_Attrs = dict[str, Any]


class _Nodes(Mapping[str, "_Attrs"]):
    """``G.nodes``: look up a node's attributes, test or list the nodes."""

    __slots__ = ("_node",)

    def __init__(self, node: dict[str, _Attrs]) -> None:
        self._node = node

    def __getitem__(self, node: str) -> _Attrs:
        return self._node[node]

    def __contains__(self, node: object) -> bool:
        return node in self._node

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    @overload
    def __call__(self, data: Literal[False] = ...) -> KeysView[str]: ...
    @overload
    def __call__(self, data: Literal[True]) -> ItemsView[str, _Attrs]: ...

    def __call__(self, data: bool = False) -> KeysView[str] | ItemsView[str, _Attrs]:
        return self._node.items() if data else self._node.keys()


class Subgraph:
    """A directed multigraph of string nodes, read-only once the store has filled it.

    >>> G = Subgraph()
    >>> G.add_nodes_from([("p#3", {"kind": "task"}), ("p", {"kind": "document"})])
    >>> G.add_edge("p#3", "p", key="part_of", relation="part_of")
    >>> list(G.out_edges("p#3", data=True)), "p" in G, G.nodes["p"]["kind"]
    ([('p#3', 'p', {'relation': 'part_of'})], True, 'document')
    """

    __slots__ = ("_node", "_pred", "_succ", "nodes")

    def __init__(self) -> None:
        self._node: dict[str, _Attrs] = {}
        self._succ: dict[str, dict[str, dict[str, _Attrs]]] = {}
        self._pred: dict[str, dict[str, dict[str, _Attrs]]] = {}
        self.nodes = _Nodes(self._node)

    def add_nodes_from(self, nodes: Iterable[tuple[str, _Attrs]]) -> None:
        """Add each ``(node, attributes)``; a node already there gets the attributes added."""
        for node, attrs in nodes:
            self._add(node).update(attrs)

    def add_edge(self, source: str, target: str, key: str, **attrs: Any) -> None:
        """Add the edge ``source -> target`` under ``key`` (and either end not yet there)."""
        self._add(source)
        self._add(target)
        self._succ[source].setdefault(target, {}).setdefault(key, {}).update(attrs)
        self._pred[target][source] = self._succ[source][target]

    def _add(self, node: str) -> _Attrs:
        attrs = self._node.get(node)
        if attrs is None:
            attrs = self._node[node] = {}
            self._succ[node] = {}
            self._pred[node] = {}
        return attrs

    def __contains__(self, node: object) -> bool:
        return node in self._node

    def number_of_nodes(self) -> int:
        return len(self._node)

    def number_of_edges(self) -> int:
        return sum(len(keyed) for adjacency in self._succ.values() for keyed in adjacency.values())

    def out_edges(self, node: str, data: Literal[True]) -> Iterator[tuple[str, str, _Attrs]]:
        """``(node, target, attributes)`` of each edge leaving ``node``."""
        for target, keyed in self._succ[node].items():
            for attrs in keyed.values():
                yield node, target, attrs

    def in_edges(self, node: str, data: Literal[True]) -> Iterator[tuple[str, str, _Attrs]]:
        """``(source, node, attributes)`` of each edge reaching ``node``."""
        for source, keyed in self._pred[node].items():
            for attrs in keyed.values():
                yield source, node, attrs

    def to_networkx(self) -> Graph:
        """The same nodes and edges, in the same order, as a networkx ``MultiDiGraph``: for
        networkx's algorithms (and its import time)."""
        from plankg.graph.build import Graph

        G = Graph()
        G.add_nodes_from((node, dict(attrs)) for node, attrs in self._node.items())
        for source, adjacency in self._succ.items():
            for target, keyed in adjacency.items():
                for key, attrs in keyed.items():
                    G.add_edge(source, target, key=key, **attrs)
        return G
