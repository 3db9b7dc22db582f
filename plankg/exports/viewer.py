"""Interactive HTML viewer of the graph: one self-contained file that works offline.

The page is built with pyvis (:class:`pyvis.network.Network` holds the nodes, edges and
vis-network options), but not with pyvis's template: that one loads vis-network,
bootstrap and tom-select from CDNs and draws nothing offline. Instead the vis-network
JavaScript and CSS that pyvis ships are inlined, read from the installed pyvis package
at run time, and a small hand-written UI (legend, search box, info panel) replaces
bootstrap and tom-select. The page makes no network request.

Layout is computed here, deterministically, and physics is off, so a 2,000-node view
draws at once: one horizontal band per administrative level (national at the top, then
province, district, commune), each document's sections, tasks and targets in a grid
under it, agencies in a side band at the height of their level.

Document text is untrusted. Every string reaches the page as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and U+2029
escaped; the page script builds tooltips and panels with ``textContent`` only, and a
Content-Security-Policy allows just the page's own two scripts (by hash) to run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from plankg.errors import ExportError, UnknownNodeError
from plankg.graph.build import Graph
from plankg.model import Level, LinkStatus, NodeKind, Relation

#: Edges followed to find a view's ancestors (all the way up) and descendants (``depth`` hops down).
LINEAGE_RELATIONS = frozenset({Relation.DERIVED_FROM.value, Relation.APPLIES.value, Relation.ATTACHED_TO.value})
_ITEM_KINDS = frozenset({NodeKind.SECTION.value, NodeKind.TASK.value, NodeKind.TARGET.value})

_LEVEL_RANKS = (Level.NATIONAL.value, Level.PROVINCE.value, Level.DISTRICT.value, Level.COMMUNE.value)

# Colours: hue by administrative level, shape by kind (see the legend).
LEVEL_COLOURS: dict[str | None, str] = {
    Level.NATIONAL.value: "#c0392b",
    Level.PROVINCE.value: "#d68910",
    Level.DISTRICT.value: "#229954",
    Level.COMMUNE.value: "#2471a3",
    None: "#7f8c8d",
}
_LEVEL_NAMES: dict[str | None, str] = {
    Level.NATIONAL.value: "National · Trung ương",
    Level.PROVINCE.value: "Province · Tỉnh",
    Level.DISTRICT.value: "District · Huyện",
    Level.COMMUNE.value: "Commune · Xã, phường",
    None: "Level unknown",
}
_KIND_SHAPES = {
    NodeKind.DOCUMENT.value: ("box", "▭"),
    NodeKind.SECTION.value: ("square", "■"),
    NodeKind.TASK.value: ("dot", "●"),
    NodeKind.TARGET.value: ("diamond", "◆"),
    NodeKind.AGENCY.value: ("triangle", "▲"),
}
_EDGE_STYLES: dict[str, dict[str, Any]] = {
    Relation.PART_OF.value: {"color": "#c8ccd0", "width": 1},
    Relation.APPLIES.value: {"color": "#34495e", "width": 2},
    Relation.ATTACHED_TO.value: {"color": "#34495e", "width": 2},
    Relation.BASED_ON.value: {"color": "#85929e", "width": 1, "dashes": True},
    Relation.CITES.value: {"color": "#aab7b8", "width": 1, "dashes": True},
    Relation.LEAD.value: {"color": "#a569bd", "width": 1, "opacity": 0.45},
    Relation.SUPPORT.value: {"color": "#d2b4de", "width": 1, "dashes": True, "opacity": 0.45},
    Relation.ISSUED_BY.value: {"color": "#a569bd", "width": 1, "dashes": True},
    Relation.SUB_ORGANIZATION_OF.value: {"color": "#d7bde2", "width": 1},
}
_LINK_COLOURS = {LinkStatus.PROPOSED.value: "#e67e22", LinkStatus.CONFIRMED.value: "#1e8449",
                 LinkStatus.REJECTED.value: "#922b21"}

# Layout grid, in vis-network canvas units.
_DOC_WIDTH = 220
_DOC_HEIGHT = 90
_ITEM_DX = 64
_ITEM_DY = 48
_BLOCK_GAP = 70
_BAND_GAP = 160
_BAND_PAD = 110  # room above a band's first row for its label
_AGENCY_DX = 230
_AGENCY_DY = 44
_AGENCY_GAP = 200
_TEXT_LIMIT = 4000  # characters of an item's text kept for its panel


# --- public API --------------------------------------------------------------------------

def render_html(G: Graph, *, focus: str | None = None, depth: int = 2, title: str = "plankg") -> str:
    """The viewer page of ``G`` (or of the cascade around ``focus``) as one HTML string.

    Parameters
    ----------
    G : Graph
        A graph from :func:`plankg.graph.build_graph` or the workspace.
    focus : str, optional
        Draw only the cascade around this document, item or agency (see :func:`view_nodes`).
    depth : int
        How many lineage steps below ``focus`` to draw.
    title : str
        Page title and heading.

    Raises
    ------
    UnknownNodeError
        If ``focus`` is not a node of ``G``.

    Examples
    --------
    >>> from plankg.loaders import load_text
    >>> from plankg.graph import build_graph
    >>> G = build_graph([load_text("Số: 5/KH-UBND\\nKẾ HOẠCH\\nThử <b>\\n1. Sở Y tế chủ trì.", source="a.txt")])
    >>> page = render_html(G, title="Kế hoạch <5>")
    >>> "<title>Kế hoạch &lt;5&gt;</title>" in page, "Thử <b>" in page, r"Thử \\u003cb\\u003e" in page
    (True, False, True)
    """
    nodes = view_nodes(G, focus, depth)
    layout = compute_layout(G, nodes)
    edges = _view_edges(G, nodes)
    network = _network(G, nodes, edges, layout)
    vis_nodes, vis_edges, _, _, _, options = network.get_network_data()
    payload = {
        "title": title,
        "focus": focus,
        "focus_label": G.nodes[focus].get("label") if focus is not None else None,
        "depth": depth if focus is not None else None,
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": json.loads(options),
        "details": {n: _node_details(G, n, nodes) for n in sorted(nodes)},
        "edge_details": {e.id: e.details for e in edges},
        "bands": [band.to_dict() for band in layout.bands],
    }
    return _page(title, payload)


def write_html(G: Graph, path: str | Path, **kw: Any) -> Path:
    """Write :func:`render_html` of ``G`` to ``path`` (keywords as for ``render_html``).

    An OSError becomes an :class:`~plankg.errors.ExportError` naming the file.
    """
    target = Path(path)
    page = render_html(G, **kw)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None
    return target


def view_nodes(G: Graph, focus: str | None = None, depth: int = 2) -> set[str]:
    """Nodes drawn for ``focus``: every node when it is None, else its cascade.

    The cascade of a document is the document with all its items; of a section, task or
    target, the item; of an agency, the agency with the tasks it leads. From there it
    takes every ancestor through ``derived_from``, ``applies`` and ``attached_to`` edges
    (up to the top), the descendants through the same edges up to ``depth`` steps down,
    and for every item drawn, its document and lead agencies. Rejected links are not
    followed.

    >>> from plankg.loaders import load_text
    >>> from plankg.graph import build_graph
    >>> G = build_graph([load_text("Số: 5/KH-UBND\\nKẾ HOẠCH\\nThử\\n1. Sở Y tế chủ trì.", source="a.txt")])
    >>> sorted(view_nodes(G, "unknown-issuer/x/5-kh-ubnd"))
    ['agency:so-y-te', 'unknown-issuer/x/5-kh-ubnd', 'unknown-issuer/x/5-kh-ubnd#1']
    """
    if depth < 0:
        raise ValueError(f"depth must be 0 or more, not {depth}")
    if focus is None:
        return set(G)
    if focus not in G:
        raise UnknownNodeError(focus)
    kind = G.nodes[focus]["kind"]
    seeds = {focus}
    if kind == NodeKind.DOCUMENT.value:
        seeds |= {n for n, d in G.nodes(data=True) if d["kind"] in _ITEM_KINDS and d.get("document") == focus}
    elif kind == NodeKind.AGENCY.value:
        seeds |= {u for u, _, k in G.in_edges(focus, keys=True) if k == Relation.LEAD.value}
    selected = set(seeds) | _ancestors(G, seeds) | _descendants(G, seeds, depth)
    for node in list(selected):
        data = G.nodes[node]
        if data["kind"] in _ITEM_KINDS:
            if data.get("document") in G:
                selected.add(data["document"])
            selected.update(v for _, v, k in G.out_edges(node, keys=True) if k == Relation.LEAD.value)
    return selected


# --- cascade --------------------------------------------------------------------------------

def _is_lineage(data: dict[str, Any]) -> bool:
    return data.get("relation") in LINEAGE_RELATIONS and data.get("status") != LinkStatus.REJECTED.value


def _ancestors(G: Graph, seeds: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = sorted(seeds)
    while stack:
        node = stack.pop()
        for _, up, data in G.out_edges(node, data=True):
            if up not in seen and _is_lineage(data):
                seen.add(up)
                stack.append(up)
    return seen


def _descendants(G: Graph, seeds: Iterable[str], depth: int) -> set[str]:
    seen: set[str] = set()
    frontier = sorted(seeds)
    for _ in range(depth):
        following = []
        for node in frontier:
            for down, _, data in G.in_edges(node, data=True):
                if down not in seen and _is_lineage(data):
                    seen.add(down)
                    following.append(down)
        frontier = sorted(following)
    return seen


# --- layout ---------------------------------------------------------------------------------

@dataclass
class Band:
    """A horizontal strip of the canvas: one administrative level, or the agencies."""

    label: str
    level: str | None
    top: float
    bottom: float
    left: float = 0.0
    right: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "level": self.level, "top": self.top, "bottom": self.bottom,
                "left": self.left, "right": self.right}


@dataclass
class Layout:
    """Positions of the drawn nodes and the bands they sit in."""

    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    bands: list[Band] = field(default_factory=list)


@dataclass
class _Block:
    doc: str
    items: list[str]
    cols: int
    width: float
    height: float


def compute_layout(G: Graph, nodes: set[str]) -> Layout:
    """Deterministic positions of ``nodes``: level bands, document blocks, an agency band.

    A band holds the documents of one level in rows; under each document its items sit
    in a grid in document order. Documents are ordered by the mean position of the
    higher documents they are linked to, so a cascade reads top-down without tangles.

    >>> from plankg.loaders import load_text
    >>> from plankg.graph import build_graph
    >>> G = build_graph([load_text("Số: 5/KH-UBND\\nKẾ HOẠCH\\nThử\\n1. Sở Y tế chủ trì.", source="a.txt")])
    >>> layout = compute_layout(G, set(G))
    >>> [b.label for b in layout.bands]
    ['Level unknown', 'Agencies · Cơ quan']
    >>> layout.positions["unknown-issuer/x/5-kh-ubnd"]
    (0.0, 0.0)
    """
    layout = Layout()
    docs = sorted(n for n in nodes if G.nodes[n]["kind"] == NodeKind.DOCUMENT.value)
    items: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        data = G.nodes[n]
        if data["kind"] in _ITEM_KINDS and data.get("document") in nodes:
            items[data["document"]].append(n)
    blocks = {doc: _block(G, doc, items.get(doc, [])) for doc in docs}
    row_limit = max(2400.0, 1.6 * math.sqrt(sum(b.width * b.height for b in blocks.values())))
    by_rank: dict[int, list[str]] = defaultdict(list)
    for doc in docs:
        by_rank[_rank(G.nodes[doc].get("level"))].append(doc)
    neighbours = _document_neighbours(G, nodes)
    centres: dict[str, float] = {}
    y = 0.0
    for rank in sorted(by_rank):
        ordered = sorted(by_rank[rank], key=lambda d: _order_key(G, d, neighbours, centres))
        top = y
        for row in _rows([blocks[d] for d in ordered], row_limit):
            y = _place_row(G, row, y, layout, centres) + _BLOCK_GAP
        level = G.nodes[ordered[0]].get("level") if rank < len(_LEVEL_RANKS) else None
        layout.bands.append(Band(_LEVEL_NAMES.get(level, _LEVEL_NAMES[None]), level, top - _BAND_PAD,
                                 y - _BLOCK_GAP / 2))
        y += _BAND_GAP
    agencies = sorted(n for n in nodes if G.nodes[n]["kind"] == NodeKind.AGENCY.value)
    _place_agencies(G, agencies, layout)
    drawn = [x for n, (x, _) in layout.positions.items() if G.nodes[n]["kind"] != NodeKind.AGENCY.value]
    left = min(drawn, default=0.0) - _DOC_WIDTH
    right = max(drawn, default=0.0) + _DOC_WIDTH / 2 + 20
    for band in layout.bands:
        if band.level != "agency":
            band.left, band.right = left, right
    return layout


def _rank(level: str | None) -> int:
    return _LEVEL_RANKS.index(level) if level in _LEVEL_RANKS else len(_LEVEL_RANKS)


def _item_order(G: Graph, node: str) -> tuple[int, str]:
    lines = G.nodes[node].get("lines") or [0]
    return (min(lines), node)


def _block(G: Graph, doc: str, items: list[str]) -> _Block:
    items = sorted(items, key=lambda n: _item_order(G, n))
    cols = max(1, math.ceil(math.sqrt(len(items) * 1.5)))
    rows = math.ceil(len(items) / cols)
    return _Block(doc, items, cols, max(_DOC_WIDTH, cols * _ITEM_DX), _DOC_HEIGHT + rows * _ITEM_DY)


def _document_neighbours(G: Graph, nodes: set[str]) -> dict[str, set[str]]:
    """Documents linked to each drawn document, directly or through their items' lineage."""
    neighbours: dict[str, set[str]] = defaultdict(set)
    for u, v, data in G.edges(data=True):
        if u not in nodes or v not in nodes or data.get("relation") in (Relation.PART_OF.value, Relation.LEAD.value,
                                                                        Relation.SUPPORT.value):
            continue
        a, b = _document_of(G, u), _document_of(G, v)
        if a and b and a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    return neighbours


def _document_of(G: Graph, node: str) -> str | None:
    data = G.nodes[node]
    if data["kind"] == NodeKind.DOCUMENT.value:
        return node
    document: str | None = data.get("document")
    return document


def _order_key(G: Graph, doc: str, neighbours: dict[str, set[str]],
               centres: dict[str, float]) -> tuple[int, float, str, str]:
    placed = [centres[n] for n in sorted(neighbours.get(doc, ())) if n in centres]
    if placed:
        return (0, sum(placed) / len(placed), "", doc)
    return (1, 0.0, G.nodes[doc].get("province") or "", doc)


def _rows(blocks: list[_Block], limit: float) -> list[list[_Block]]:
    rows: list[list[_Block]] = []
    width = 0.0
    for block in blocks:
        if rows and width + block.width <= limit:
            rows[-1].append(block)
            width += block.width + _BLOCK_GAP
        else:
            rows.append([block])
            width = block.width + _BLOCK_GAP
    return rows


def _place_row(G: Graph, row: list[_Block], y: float, layout: Layout, centres: dict[str, float]) -> float:
    """Place one row of document blocks centred on x = 0; return the row's bottom."""
    total = sum(b.width for b in row) + _BLOCK_GAP * (len(row) - 1)
    x = -total / 2
    bottom = y
    for block in row:
        centre = x + block.width / 2
        layout.positions[block.doc] = (round(centre, 1), round(y, 1))
        centres[block.doc] = centre
        grid_left = centre - (block.cols * _ITEM_DX) / 2 + _ITEM_DX / 2
        for i, item in enumerate(block.items):
            row_index, col = divmod(i, block.cols)
            layout.positions[item] = (round(grid_left + col * _ITEM_DX, 1),
                                      round(y + _DOC_HEIGHT + row_index * _ITEM_DY, 1))
        bottom = max(bottom, y + block.height)
        x += block.width + _BLOCK_GAP
    return bottom


def _place_agencies(G: Graph, agencies: list[str], layout: Layout) -> None:
    """Agencies to the right of the documents, each at the height of its level's band."""
    if not agencies:
        return
    right = max((x for x, _ in layout.positions.values()), default=0.0)
    x0 = right + _DOC_WIDTH / 2 + _AGENCY_GAP
    band_tops = {band.level: band for band in layout.bands}
    groups: dict[int, list[str]] = defaultdict(list)
    for agency in agencies:
        groups[_rank(G.nodes[agency].get("level"))].append(agency)
    last = layout.bands[-1].bottom + _BAND_GAP if layout.bands else 0.0
    floor = -math.inf
    top_of_all, bottom_of_all, right_of_all = math.inf, -math.inf, x0
    for rank in sorted(groups):
        level = _LEVEL_RANKS[rank] if rank < len(_LEVEL_RANKS) else None
        band = band_tops.get(level)
        top = max(band.top + _BLOCK_GAP if band else last, floor)
        height = (band.bottom - band.top - _BLOCK_GAP) if band else _AGENCY_DY * 6
        per_column = max(4, int(height // _AGENCY_DY))
        members = sorted(groups[rank], key=lambda a: (G.nodes[a].get("label") or "", a))
        for i, agency in enumerate(members):
            col, row = divmod(i, per_column)
            x, y = x0 + col * _AGENCY_DX, top + row * _AGENCY_DY
            layout.positions[agency] = (round(x, 1), round(y, 1))
            right_of_all = max(right_of_all, x)
        rows = min(len(members), per_column)
        floor = top + rows * _AGENCY_DY + _AGENCY_DY
        top_of_all, bottom_of_all = min(top_of_all, top), max(bottom_of_all, floor)
    layout.bands.append(Band("Agencies · Cơ quan", "agency", top_of_all - _AGENCY_DY, bottom_of_all,
                             x0 - _AGENCY_DX / 2, right_of_all + _AGENCY_DX / 2))


# --- nodes and edges ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Edge:
    id: str
    source: str
    target: str
    relation: str
    details: dict[str, Any]


def _view_edges(G: Graph, nodes: set[str]) -> list[_Edge]:
    """Edges between drawn nodes, plus a ``part_of`` shortcut to the nearest drawn container.

    A focus view leaves out the sections between a task and its document; the shortcut
    keeps every item attached to its document.
    """
    found: list[tuple[str, str, str, dict[str, Any]]] = []
    for u, v, key, data in G.edges(keys=True, data=True):
        if u in nodes and v in nodes:
            found.append((u, v, str(key), dict(data)))
        elif u in nodes and key == Relation.PART_OF.value:
            container = _drawn_container(G, v, nodes)
            if container is not None:
                found.append((u, container, str(key), {"relation": key, "collapsed": True}))
    found.sort(key=lambda e: (e[0], e[1], e[2]))
    edges = []
    for i, (u, v, key, data) in enumerate(found):
        details = {"relation": data.get("relation", key)}
        for name in ("score", "band", "method", "status", "evidence", "reason", "collapsed", "inferred"):
            if data.get(name) is not None:
                details[name] = data[name]
        edges.append(_Edge(f"e{i}", u, v, details["relation"], details))
    return edges


def _drawn_container(G: Graph, node: str, nodes: set[str]) -> str | None:
    seen = set()
    while node not in nodes:
        if node in seen:
            return None
        seen.add(node)
        ups = sorted(v for _, v, k in G.out_edges(node, keys=True) if k == Relation.PART_OF.value)
        if not ups:
            return None
        node = ups[0]
    return node


def _network(G: Graph, nodes: set[str], edges: list[_Edge], layout: Layout) -> Any:
    """A pyvis Network with the drawn nodes, edges and options (pyvis is imported lazily)."""
    from pyvis.network import Network  # type: ignore[import-untyped]

    network = Network(height="100%", width="100%", directed=True)  # its template is not used: see _page
    for node in sorted(nodes):
        x, y = layout.positions[node]
        network.add_node(node, **_node_style(G, node), x=x, y=y, physics=False)
    for edge in edges:
        network.add_edge(edge.source, edge.target, id=edge.id, **_edge_style(edge))
    large = len(nodes) > 800
    network.set_options(json.dumps({
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large,
                        "multiselect": True, "navigationButtons": False, "keyboard": False},
        "nodes": {"borderWidth": 1, "borderWidthSelected": 4, "font": {"size": 12}},
        "edges": {"smooth": False, "selectionWidth": 2, "font": {"size": 10, "align": "top"},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}}, "color": {"inherit": False}},
    }))
    return network


def _node_level(G: Graph, node: str) -> str | None:
    data = G.nodes[node]
    if data["kind"] in _ITEM_KINDS and data.get("document") in G:
        level: str | None = G.nodes[data["document"]].get("level")
        return level
    return data.get("level")


def _tint(colour: str, amount: float) -> str:
    """``colour`` mixed with white (amount > 0) or black (amount < 0).

    >>> _tint("#c0392b", 0.5), _tint("#c0392b", -0.5)
    ('#e09c95', '#601c16')
    """
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    towards = 255 if amount > 0 else 0
    return "#" + "".join(f"{round(c + (towards - c) * abs(amount)):02x}" for c in (r, g, b))


def _node_style(G: Graph, node: str) -> dict[str, Any]:
    data = G.nodes[node]
    kind = data["kind"]
    base = LEVEL_COLOURS.get(_node_level(G, node), LEVEL_COLOURS[None])
    shape = _KIND_SHAPES[kind][0]
    colour = {"background": base, "border": _tint(base, -0.35), "highlight": {"background": "#f7dc6f",
                                                                            "border": "#1b2631"},
              "hover": {"background": _tint(base, 0.35), "border": "#1b2631"}}
    style: dict[str, Any] = {"shape": shape, "color": colour}
    if kind == NodeKind.DOCUMENT.value:
        style.update(label=_short(data.get("label") or node, 60), widthConstraint={"maximum": _DOC_WIDTH - 40},
                     font={"color": "#ffffff", "size": 18}, margin=10)
        if data.get("placeholder"):
            colour["background"] = "#ffffff"
            style.update(font={"color": base, "size": 18}, shapeProperties={"borderDashes": [5, 4]}, borderWidth=2)
    elif kind == NodeKind.AGENCY.value:
        colour["background"] = _tint(base, 0.45)
        colour["border"] = "#6c3483"
        style.update(label=_short(data.get("label") or node, 32), size=9, font={"size": 11})
    else:
        if kind == NodeKind.SECTION.value:
            colour["background"] = _tint(base, 0.55)
        style.update(label=data.get("path") or kind, size={"section": 6, "task": 8}.get(kind, 9),
                     font={"size": 10, "color": "#424949"})
    return style


def _edge_style(edge: _Edge) -> dict[str, Any]:
    if edge.relation == Relation.DERIVED_FROM.value:
        status = edge.details.get("status", LinkStatus.PROPOSED.value)
        score = float(edge.details.get("score") or 0.0)
        label = " ".join(x for x in (f"{score:.2f}", edge.details.get("band")) if x)
        return {"color": _LINK_COLOURS.get(status, _LINK_COLOURS[LinkStatus.PROPOSED.value]),
                "width": round(1.5 + 3 * min(score, 1.0), 2), "label": label,
                "dashes": status != LinkStatus.CONFIRMED.value, "hidden": status == LinkStatus.REJECTED.value}
    style = dict(_EDGE_STYLES.get(edge.relation, {"color": "#aab7b8", "width": 1}))
    style["color"] = {"color": style["color"], "opacity": style.pop("opacity", 0.9)}
    return style


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _node_details(G: Graph, node: str, nodes: set[str]) -> dict[str, Any]:
    """What the tooltip and info panel show: plain strings, never markup."""
    data = G.nodes[node]
    kind = data["kind"]
    details: dict[str, Any] = {"kind": kind, "level": _node_level(G, node), "label": data.get("label") or node}
    if kind == NodeKind.DOCUMENT.value:
        for name in ("number", "type", "title", "issuer", "date", "jurisdiction", "source"):
            if data.get(name):
                details[name] = str(data[name])
        details["placeholder"] = bool(data.get("placeholder"))
    elif kind == NodeKind.AGENCY.value:
        for name in ("name", "agency_kind", "jurisdiction"):
            if data.get(name):
                details[name] = str(data[name])
    else:
        text = str(data.get("text") or "")
        details["text"] = text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"
        details["document"] = data.get("document")
        if data.get("document") in G:
            details["document_label"] = G.nodes[data["document"]].get("label")
        details["path"] = data.get("path")
        for name in ("lead", "support"):
            if data.get(name):
                details[name] = [str(a) for a in data[name]]
        if data.get("deadline_text"):
            details["deadline"] = str(data["deadline_text"])
        if kind == NodeKind.TARGET.value and data.get("indicator"):
            details["indicator"] = str(data["indicator"])
    details["up"] = _links(G, ((v, d) for _, v, d in G.out_edges(node, data=True)), nodes)
    details["down"] = _links(G, ((u, d) for u, _, d in G.in_edges(node, data=True)), nodes)
    return details


def _links(G: Graph, ends: Iterable[tuple[str, dict[str, Any]]], nodes: set[str]) -> list[dict[str, Any]]:
    """Lineage links of a node: the other end, its label, score and status."""
    links = []
    for other, data in ends:
        if data.get("relation") not in LINEAGE_RELATIONS:
            continue
        link: dict[str, Any] = {"id": other, "label": G.nodes[other].get("label") or other,
                                "relation": data["relation"], "drawn": other in nodes}
        for name in ("score", "band", "status"):
            if data.get(name) is not None:
                link[name] = data[name]
        links.append(link)
    links.sort(key=lambda link: (not link["drawn"], -(link.get("score") or 0.0), link["id"]))
    return links


# --- the page -------------------------------------------------------------------------------

_CLOSING_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


def script_json(obj: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``.

    ``<``, ``>`` and ``&`` (and the JavaScript line separators) only occur inside JSON
    strings, where their ``\\u`` escapes mean the same, so no text can close the element.

    >>> script_json({"t": "</script><b>&\\u2028"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _inline(code: str) -> str:
    """Library code made safe to inline: no ``</script`` or ``</style`` can end its element early."""
    return _CLOSING_TAG.sub(lambda m: "<\\/" + m.group(1), code).replace("<!--", "<\\!--")


def vis_assets() -> tuple[str, str]:
    """The vis-network JavaScript and CSS shipped with the installed pyvis (newest version)."""
    root = resources.files("pyvis")
    candidates = []
    for base in (root / "lib", root / "templates" / "lib"):
        if not base.is_dir():
            continue
        for folder in base.iterdir():
            match = re.fullmatch(r"vis-(\d+)\.(\d+)\.(\d+)", folder.name)
            if match and (folder / "vis-network.min.js").is_file() and (folder / "vis-network.css").is_file():
                candidates.append((tuple(int(g) for g in match.groups()), folder))
    if not candidates:
        raise ExportError("the installed pyvis ships no vis-network files (pyvis/lib/vis-*/)")
    folder = max(candidates, key=lambda c: c[0])[1]
    return ((folder / "vis-network.min.js").read_text(encoding="utf-8"),
            (folder / "vis-network.css").read_text(encoding="utf-8"))


def _static(name: str) -> str:
    return (resources.files("plankg.exports") / "static" / name).read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def _legend() -> str:
    rows = ['<h2>Legend</h2>', '<ul class="legend-levels">']
    for level in (*_LEVEL_RANKS, None):
        rows.append(f'<li><span class="swatch" style="background:{LEVEL_COLOURS[level]}"></span>'
                    f"{html.escape(_LEVEL_NAMES[level])}</li>")
    rows.append('</ul><ul class="legend-kinds">')
    names = {NodeKind.DOCUMENT.value: "document (dashed: cited, not loaded)", NodeKind.SECTION.value: "section",
             NodeKind.TASK.value: "task", NodeKind.TARGET.value: "target", NodeKind.AGENCY.value: "agency"}
    for kind, (_, symbol) in _KIND_SHAPES.items():
        rows.append(f'<li><span class="symbol">{symbol}</span>{html.escape(names[kind])}</li>')
    rows.append('</ul><ul class="legend-edges">')
    for label, css in (("derived from, proposed (score, band)", "proposed"), ("derived from, confirmed", "confirmed"),
                       ("applies / attached to", "applies"), ("part of", "part"), ("lead agency", "lead")):
        rows.append(f'<li><span class="line {css}"></span>{html.escape(label)}</li>')
    rows.append("</ul>")
    return "".join(rows)


def _page(title: str, payload: dict[str, Any]) -> str:
    vis_js, vis_css = vis_assets()
    scripts = [_inline(vis_js), _inline(_static("viewer.js"))]
    styles = [_inline(vis_css), _inline(_static("viewer.css"))]
    csp = ("default-src 'none'; script-src " + " ".join(_csp_hash(s) for s in scripts)
           + "; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    heading = html.escape(title)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="vi">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',  # constants and base64 only
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{heading}</title>",
        *(f"<style>{s}</style>" for s in styles),
        "</head>",
        "<body>",
        '<header id="bar">',
        f"<h1>{heading}</h1>",
        '<span id="summary"></span>',
        '<input id="search" type="search" placeholder="Search (diacritics optional)…" autocomplete="off"'
        ' spellcheck="false" aria-label="Search nodes">',
        '<span id="search-count" aria-live="polite"></span>',
        '<label class="toggle"><input id="show-rejected" type="checkbox"> rejected links</label>',
        "</header>",
        '<main id="main">',
        '<div id="graph" role="img" aria-label="Graph"></div>',
        '<aside id="side">',
        f'<section id="legend">{_legend()}</section>',
        '<section id="info"><p class="hint">Click a node or link for details. Search matches text, '
        "labels and ids with or without diacritics; Enter steps through the matches.</p></section>",
        "</aside>",
        "</main>",
        f'<script type="application/json" id="plankg-data">{script_json(payload)}</script>',
        *(f"<script>{s}</script>" for s in scripts),
        "</body>",
        "</html>",
        "",
    ])
