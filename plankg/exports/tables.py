"""Graph exports for graph tools and spreadsheets: GraphML, GEXF, CSV and node-link JSON.

GraphML and GEXF declare one type per attribute, and networkx writes neither lists nor
None. So every attribute gets one type over all nodes (or all edges): booleans, integers
and floats keep their type when every value has it (integers mixed with floats become
floats); any other mix becomes text, lists and dicts as JSON. Missing and None values are
left out. CSV cells follow the same JSON spelling (``true``, ``["Sở Y tế"]``), with None
as an empty cell. Nodes and edges are written in sorted order, so the same graph gives
the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import networkx as nx
import orjson

from plankg.errors import ExportError
from plankg.exports.text import xml_text
from plankg.i18n import _

if TYPE_CHECKING:
    from plankg.graph.build import Graph

__all__ = ["to_csv", "to_gexf", "to_graphml", "to_json", "write_csv", "write_json"]

_NODE_FIRST = ("id", "kind", "label")
_EDGE_FIRST = ("source", "target", "key", "relation")


def to_json(G: Graph) -> str:
    """The JSON export of CONTRACT.md: networkx node-link data, nodes and edges sorted, keys sorted.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("d", id="d", kind="document", label="Kế hoạch 1/KH")
    >>> print(to_json(G))
    {
      "directed": true,
      "edges": [],
      "graph": {},
      "multigraph": true,
      "nodes": [
        {
          "id": "d",
          "kind": "document",
          "label": "Kế hoạch 1/KH"
        }
      ]
    }
    """
    from plankg.graph.workspace import graph_data

    return json.dumps(graph_data(G), ensure_ascii=False, indent=2, sort_keys=True)


def to_graphml(G: Graph) -> bytes:
    """``G`` as GraphML (UTF-8), readable back with :func:`networkx.read_graphml`.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("t", id="t", kind="target", label="80%", value=[75, 80], year=None)
    >>> dict(nx.read_graphml(io.BytesIO(to_graphml(G))).nodes["t"])
    {'id': 't', 'kind': 'target', 'label': '80%', 'value': '[75, 80]'}
    """
    buffer = io.BytesIO()
    nx.write_graphml(_typed_copy(G), buffer, encoding="utf-8", named_key_ids=True)
    return buffer.getvalue()


def to_gexf(G: Graph) -> bytes:
    """``G`` as GEXF 1.2 (UTF-8), readable back with :func:`networkx.read_gexf` (Gephi's format).

    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="cites", relation="cites")
    'cites'
    >>> list(nx.read_gexf(io.BytesIO(to_gexf(G))).edges(data="relation"))
    [('a', 'b', 'cites')]
    """
    buffer = io.BytesIO()
    nx.write_gexf(_typed_copy(G), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_csv(G: Graph, folder: Path) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into ``folder`` (created if needed); return their paths.

    ``nodes.csv`` has one row per node (``id``, ``kind``, ``label``, then every other
    attribute in name order); ``edges.csv`` one per edge (``source``, ``target``, ``key``,
    ``relation``, then the rest). Line breaks inside values become spaces, so each node or
    edge is exactly one line.

    Raises
    ------
    ExportError
        The folder or a file cannot be written.
    """
    nodes = [(str(node), G.nodes[node]) for node in _sorted_nodes(G)]
    edges = [(u, v, k, d) for u, v, k, d in _sorted_edges(G)]
    node_names = {"id", *(key for _, data in nodes for key in data)}
    edge_names = {"source", "target", "key", *(key for *_, data in edges for key in data)}
    return write_csv(folder, (nodes, node_names), (edges, edge_names))


def write_csv(folder: Path, nodes: tuple[Iterable[tuple[str, Mapping[str, Any]]], set[str]],
              edges: tuple[Iterable[tuple[str, str, str, Mapping[str, Any]]], set[str]]) -> tuple[Path, Path]:
    """:func:`to_csv` from rows as they come: the nodes (id order) and edges (source, target,
    key order), each with the names of their attributes over all rows (the columns), as
    :class:`plankg.graph.store.Reader` gives them."""
    node_rows, node_names = nodes
    edge_rows, edge_names = edges
    paths = (folder / "nodes.csv", folder / "edges.csv")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write_rows(paths[0], ({"id": n, **d} for n, d in node_rows), _columns(node_names, _NODE_FIRST))
        _write_rows(paths[1], ({"source": u, "target": v, "key": k, **d} for u, v, k, d in edge_rows),
                    _columns(edge_names, _EDGE_FIRST))
    except OSError as exc:
        raise ExportError(_("cannot write: {reason}").format(reason=exc.strerror or exc), path=str(folder)) from None
    return paths


def write_json(nodes: Iterable[tuple[str, Mapping[str, Any]]],
               edges: Iterable[tuple[str, str, str, Mapping[str, Any]]], out: IO[bytes]) -> int:
    """The bytes of :func:`to_json` (and a final newline, as ``plankg export`` writes it) of
    the graph of ``nodes`` (id order) and ``edges`` (source, target, key order), written as
    they come; returns how many nodes and edges were written."""
    count = 0

    def array(rows: Iterable[Mapping[str, Any]]) -> None:
        nonlocal count
        separator = b"\n"
        for row in rows:
            # As json.dumps(row, ensure_ascii=False, indent=2, sort_keys=True) writes it (orjson: faster).
            text = orjson.dumps(row, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
            out.write(separator + b"    " + text.replace(b"\n", b"\n    "))
            separator = b",\n"
            count += 1
        out.write(b"]" if separator == b"\n" else b"\n  ]")

    out.write(b'{\n  "directed": true,\n  "edges": [')
    array({**d, "source": u, "target": v, "key": k} for u, v, k, d in edges)
    out.write(b',\n  "graph": {},\n  "multigraph": true,\n  "nodes": [')
    array({**d, "id": n} for n, d in nodes)
    out.write(b"\n}\n")
    return count


# --- helpers ------------------------------------------------------------------------------

def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _column_types(rows: Iterable[Mapping[str, Any]]) -> dict[str, type]:
    """One Python type per attribute: bool, int or float when every value allows it, else str."""
    seen: dict[str, set[type]] = {}
    for row in rows:
        for key, value in row.items():
            if value is not None:
                seen.setdefault(key, set()).add(type(value))
    types: dict[str, type] = {}
    for key, kinds in seen.items():
        if kinds == {bool}:
            types[key] = bool
        elif kinds == {int}:
            types[key] = int
        elif kinds and kinds <= {int, float}:
            types[key] = float
        else:
            types[key] = str
    return types


def _convert(row: Mapping[str, Any], types: Mapping[str, type]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None:
            continue
        kind = types[key]
        out[xml_text(key)] = xml_text(_json_text(value)) if kind is str else kind(value)
    return out


def _sorted_nodes(G: Graph) -> list[str]:
    return sorted(G.nodes, key=str)


def _sorted_edges(G: Graph) -> list[tuple[str, str, str, dict[str, Any]]]:
    edges = [(str(u), str(v), str(k), d) for u, v, k, d in G.edges(keys=True, data=True)]
    return sorted(edges, key=lambda e: e[:3])


def _typed_copy(G: Graph) -> nx.MultiDiGraph[str]:
    """A copy of ``G`` in sorted order whose attributes have one GraphML/GEXF-writable type each.

    Text that XML cannot hold (a control character copied from a source file) becomes U+FFFD.
    """
    nodes = _sorted_nodes(G)
    edges = _sorted_edges(G)
    node_types = _column_types(G.nodes[n] for n in nodes)
    edge_types = _column_types(d for _, _, _, d in edges)
    H: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in nodes:
        H.add_node(xml_text(str(node)), **_convert(G.nodes[node], node_types))
    for u, v, k, d in edges:
        H.add_edge(xml_text(u), xml_text(v), key=xml_text(k), **_convert(d, edge_types))
    return H


def _cell(value: Any) -> str:
    """A CSV cell: one line, and never a formula.

    A cell that begins with "=", "+", "-", "@", a tab or a carriage return is run as a formula
    by spreadsheets (OWASP's CSV injection); such a cell gets a leading apostrophe, which
    spreadsheets show as text. The JSON and RDF exports keep the exact text.

    >>> _cell("=SUM(A1:A9)"), _cell("- Sở Y tế"), _cell(-3), _cell("Sở Y tế")
    ("'=SUM(A1:A9)", "'- Sở Y tế", '-3', 'Sở Y tế')
    """
    if value is None:
        return ""
    text = " ".join(_json_text(value).splitlines())
    if isinstance(value, str) and text.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + text
    return text


def _columns(names: set[str], first: tuple[str, ...]) -> list[str]:
    return list(first) + sorted(names - set(first))


def _write_rows(path: Path, rows: Iterable[Mapping[str, Any]], columns: list[str]) -> None:
    # A BOM: Excel reads the file as UTF-8.
    with open(path, "w", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row.get(column)) for column in columns] for row in rows)
