"""Interactive HTML viewer of the graph: one self-contained file that works offline.

Two pages are drawn, both with vis-network (the copy pyvis ships, inlined: pyvis's own
template loads vis-network, bootstrap and tom-select from CDNs and draws nothing offline):

* the **overview** of a whole workspace: one node per document, in bands by level
  (national, province, district, ward/commune) and by province, labelled with its number,
  issuer and counts; the plans of one level and province are one group node when there are
  many of them. Edges join documents (applies, cites, and the task links between their
  items, counted). A document's items travel in the page as one JSON blob each, parsed
  only when the reader opens the document, so a national workspace (100,000 tasks) draws
  a few hundred nodes, never the whole graph. :func:`overview_of_graph` builds it from a
  graph; :func:`overview_of_rows` from rows read straight from the store
  (:func:`plankg.graph.workspace.overview_workspace`), without building the graph.
* the **focus tree** around one document, task or agency: the directive on top, down
  through provincial and ward tasks, each node showing its text, lead agency and deadline,
  each link its score and confidence band.

UI strings go through :func:`plankg.i18n._` in the page's language and reach the page as a
JSON dictionary; search keys are made here with :mod:`plankg.normalize`.

Document text is untrusted. Every string reaches the page as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and U+2029
escaped; the page script builds tooltips and panels with ``textContent`` only, and a
Content-Security-Policy allows just the page's own two scripts (by hash) to run.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from plankg import i18n
from plankg.errors import ExportError, UnknownNodeError
from plankg.graph.build import Graph
from plankg.graph.queries import search_texts
from plankg.i18n import _, ngettext
from plankg.model import Level, LinkStatus, NodeKind, Relation
from plankg.normalize import fold, search_key

#: Edges followed to find a view's ancestors (all the way up) and descendants (``depth`` hops down).
LINEAGE_RELATIONS = frozenset({Relation.DERIVED_FROM.value, Relation.APPLIES.value, Relation.ATTACHED_TO.value})
#: Edges between documents (or their items) that the overview draws, aggregated per pair of documents.
OVERVIEW_RELATIONS = LINEAGE_RELATIONS | {Relation.CITES.value, Relation.BASED_ON.value}
_ITEM_KINDS = frozenset({NodeKind.SECTION.value, NodeKind.TASK.value, NodeKind.TARGET.value})
_SHOWN_ITEMS = (NodeKind.TASK.value, NodeKind.TARGET.value)

_LEVEL_RANKS = (Level.NATIONAL.value, Level.PROVINCE.value, Level.DISTRICT.value, Level.COMMUNE.value)
#: The page's language when none is asked for: the officers who read it read Vietnamese.
DEFAULT_LANGUAGE = "vi"

# Colours: hue by administrative level (see the legend).
LEVEL_COLOURS: dict[str | None, str] = {
    Level.NATIONAL.value: "#c0392b",
    Level.PROVINCE.value: "#d68910",
    Level.DISTRICT.value: "#229954",
    Level.COMMUNE.value: "#2471a3",
    None: "#7f8c8d",
}
_LINK_COLOURS = {LinkStatus.PROPOSED.value: "#e67e22", LinkStatus.CONFIRMED.value: "#1e8449",
                 LinkStatus.REJECTED.value: "#922b21"}

#: More plans than this of one level in one province are drawn as one group node.
GROUP_LIMIT = 8
_TEXT_LIMIT = 4000  # characters of an item's text kept for its panel
_LABEL_TEXT = 110  # characters of an item's first line drawn on its node
# Focus tree grid, in vis-network canvas units (a node is _TREE_WIDTH wide).
_TREE_WIDTH = 250
_TREE_DX = 280
_TREE_DY = 230
_TREE_LEAVES = 6  # leaves side by side under one node before they wrap to another row
_TREE_WIDE = 5  # children spread over more columns than this: their parent sits over the first


def _level_names() -> dict[str | None, str]:
    return {Level.NATIONAL.value: _("National"), Level.PROVINCE.value: _("Province"),
            Level.DISTRICT.value: _("District"), Level.COMMUNE.value: _("Ward and commune"),
            None: _("Level unknown")}


@contextmanager
def _speaking(language: str) -> Iterator[None]:
    """Translate through :mod:`plankg.i18n` in ``language`` for a while, then as before."""
    previous = i18n.current_language()
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language(previous)


# --- public API --------------------------------------------------------------------------

def render_html(G: Graph, *, focus: str | None = None, depth: int = 2, title: str = "plankg",
                language: str = DEFAULT_LANGUAGE) -> str:
    """The viewer page of ``G`` as one HTML string: the overview, or the tree around ``focus``.

    Parameters
    ----------
    G : Graph
        A graph from :func:`plankg.graph.build_graph` or the workspace.
    focus : str, optional
        Draw the tree of the cascade around this document, item or agency (see
        :func:`view_nodes`) instead of the overview of every document.
    depth : int
        How many lineage steps below ``focus`` to draw.
    title : str
        Page title and heading.
    language : str
        Language of the page's own words: "vi" (default) or "en".

    Raises
    ------
    UnknownNodeError
        If ``focus`` is not a node of ``G``.

    Examples
    --------
    >>> from plankg.loaders import load_text
    >>> from plankg.graph import build_graph
    >>> G = build_graph([load_text("Số: 5/KH-UBND\\nKẾ HOẠCH\\nThử <b>\\n1. Sở Y tế chủ trì.", source="a.txt")])
    >>> page = render_html(G, title="Kế hoạch <5>", language="en")
    >>> "<title>Kế hoạch &lt;5&gt;</title>" in page, "Thử <b>" in page, r"Thử \\u003cb\\u003e" in page
    (True, False, True)
    """
    if focus is None:
        return render_overview(overview_of_graph(G), title=title, language=language)
    with _speaking(language):
        nodes = view_nodes(G, focus, depth)
        tree = focus_tree(G, focus, nodes)
        payload = {
            "mode": "tree",
            "title": title,
            "focus": focus,
            "focus_label": G.nodes[focus].get("label"),
            "depth": depth,
            "strings": _strings(),
            "nodes": _tree_nodes(G, tree),
            "edges": _tree_edges(G, tree),
            "details": {n: _node_details(G, n, tree.nodes) for n in sorted(tree.nodes)},
        }
        return _page(title, payload, language)


def render_overview(overview: Overview, *, title: str = "plankg", language: str = DEFAULT_LANGUAGE) -> str:
    """The overview page of ``overview`` (from :func:`overview_of_graph` or :func:`overview_of_rows`)."""
    with _speaking(language):
        payload = overview.payload(title)
        blobs = [(f"plankg-doc-{i}", items) for i, items in enumerate(overview.item_blobs()) if items]
        return _page(title, payload, language, blobs)


def write_html(G: Graph, path: str | Path, **kw: Any) -> Path:
    """Write :func:`render_html` of ``G`` to ``path`` (keywords as for ``render_html``).

    An OSError becomes an :class:`~plankg.errors.ExportError` naming the file.
    """
    return write_page(render_html(G, **kw), path)


def write_workspace_view(workspace: Path, path: str | Path, *, focus: str | None = None, depth: int = 2,
                         title: str = "plankg", language: str = DEFAULT_LANGUAGE) -> Path:
    """Write the viewer page of a workspace to ``path``: the overview, read from the store
    without building the graph, or the tree around ``focus`` (a node id)."""
    if focus is None:
        return write_page(render_overview(overview_of_workspace(workspace), title=title, language=language), path)
    from plankg.graph.workspace import load_graph

    return write_html(load_graph(workspace), path, focus=focus, depth=depth, title=title, language=language)


def write_page(page: str, path: str | Path) -> Path:
    """Write a rendered page to ``path``; an OSError becomes an :class:`~plankg.errors.ExportError`."""
    target = Path(path)
    try:
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write: {exc.strerror or exc}", path=str(target)) from None
    return target


def view_nodes(G: Graph, focus: str | None = None, depth: int = 2) -> set[str]:
    """Nodes of the cascade around ``focus`` (every node when it is None).

    The cascade of a document is the document with all its items; of a section, task or
    target, the item; of an agency, the agency with the tasks it leads. From there (and
    from an item's document) it takes every ancestor through ``derived_from``, ``applies``
    and ``attached_to`` edges (up to the top), the descendants through the same edges up
    to ``depth`` steps down,
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
    seeds = _seeds(G, focus)
    if kind == NodeKind.DOCUMENT.value:
        seeds |= {n for n, d in G.nodes(data=True) if d["kind"] in _ITEM_KINDS and d.get("document") == focus}
    # An item's own document climbs too: a task no link ties to a higher task still shows the
    # documents its plan applies, up to the directive (as plankg lineage does).
    documents = {G.nodes[n].get("document") for n in seeds if G.nodes[n]["kind"] in _ITEM_KINDS}
    above = seeds | {doc for doc in documents if isinstance(doc, str) and doc in G}
    selected = set(seeds) | _ancestors(G, above) | _descendants(G, seeds, depth)
    for node in list(selected):
        data = G.nodes[node]
        if data["kind"] in _ITEM_KINDS:
            if data.get("document") in G:
                selected.add(data["document"])
            selected.update(v for _, v, k in G.out_edges(node, keys=True) if k == Relation.LEAD.value)
    return selected


def _seeds(G: Graph, focus: str) -> set[str]:
    """The focus, and for an agency the tasks it leads."""
    if G.nodes[focus]["kind"] == NodeKind.AGENCY.value:
        return {focus} | {u for u, _, k in G.in_edges(focus, keys=True) if k == Relation.LEAD.value}
    return {focus}


# --- cascade --------------------------------------------------------------------------------

def _is_lineage(data: dict[str, Any]) -> bool:
    return data.get("relation") in LINEAGE_RELATIONS and data.get("status") != LinkStatus.REJECTED.value


def _ancestors(G: Graph, seeds: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = sorted(seeds)
    while stack:
        node = stack.pop()
        for _node, up, data in G.out_edges(node, data=True):
            if up not in seen and _is_lineage(data):
                seen.add(up)
                stack.append(up)
    return seen


def _descendants(G: Graph, seeds: Iterable[str], depth: int) -> set[str]:
    seen: set[str] = set()
    frontier = sorted(seeds)
    for _step in range(depth):
        following = []
        for node in frontier:
            for down, _node, data in G.in_edges(node, data=True):
                if down not in seen and _is_lineage(data):
                    seen.add(down)
                    following.append(down)
        frontier = sorted(following)
    return seen


# --- labels ---------------------------------------------------------------------------------

def first_line(text: str | None, width: int = _LABEL_TEXT) -> str:
    """The first line of ``text``, shortened to ``width`` characters at a word boundary.

    >>> first_line("Rà soát, điều chỉnh quy hoạch chung đô thị\\ntheo hướng", 30)
    'Rà soát, điều chỉnh quy hoạch…'
    >>> first_line("  Lập   kế hoạch  ")
    'Lập kế hoạch'
    """
    line = " ".join(str(text or "").strip().split("\n", 1)[0].split())
    if len(line) <= width:
        return line
    cut = line[: width - 1]
    if line[width - 1] != " " and " " in cut[width // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–") + "…"


def item_label(path: str | None, text: str | None, lead: list[str] | None, deadline: str | None) -> str:
    """What a task's node shows: its path and first line, its lead agency and its deadline."""
    head = first_line(text) or _("(no text)")
    lines = [f"{path} · {head}" if path else head]
    lines.append(_("Lead: {agencies}").format(agencies=first_line("; ".join(lead), 70) if lead else "—"))
    lines.append(_("Deadline: {deadline}").format(deadline=first_line(deadline, 50) if deadline else "—"))
    return "\n".join(lines)


def _search_keys(texts: Iterable[str | None]) -> list[str]:
    """The folded text (diacritics kept) and the accent-free key the page's search reads."""
    joined = " ¶ ".join(t for t in texts if t)
    return [fold(joined), search_key(joined)]


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- overview -------------------------------------------------------------------------------

class ItemRow(NamedTuple):
    """A task or target as the overview reads it."""

    id: str
    kind: str
    document: str
    path: str | None
    text: str | None
    lead: list[str]
    deadline: str | None
    line: int
    #: The search keys of the text (as :func:`_search_keys` makes them), when the store kept them.
    keys: list[str] | None = None


class LinkRow(NamedTuple):
    """An edge between items or documents as the overview reads it."""

    source: str
    target: str
    relation: str
    score: float | None
    band: str | None
    status: str | None


@dataclass
class Overview:
    """Documents, their items and the links between them: what the overview page draws.

    ``documents`` are in drawing order (level, province, label); ``items[i]`` are the items
    of document ``i`` in document order; ``pairs`` the links aggregated per pair of documents.
    """

    documents: list[tuple[str, dict[str, Any]]]
    items: list[list[ItemRow]]
    up: dict[str, list[tuple[int, int, LinkRow]]]
    pairs: dict[tuple[int, int], Counter[str]]
    links_up: list[int] = field(default_factory=list)
    links_down: list[int] = field(default_factory=list)

    def payload(self, title: str) -> dict[str, Any]:
        names = _level_names()
        docs = []
        groups: dict[tuple[str | None, str], list[int]] = defaultdict(list)
        for i, (_doc, data) in enumerate(self.documents):
            level = data.get("level")
            if level in (Level.DISTRICT.value, Level.COMMUNE.value) and data.get("province"):
                groups[(level, data["province"])].append(i)
        group_of: dict[int, int] = {}
        group_list: list[dict[str, Any]] = []
        for (level, province), members in groups.items():
            if len(members) > GROUP_LIMIT:
                for i in members:
                    group_of[i] = len(group_list)
                tasks = sum(len(self.items[i]) for i in members)
                label = "\n".join([province, ngettext("{n} plan", "{n} plans", len(members)).format(n=len(members))
                                   + " · " + names[level].lower(),
                                   ngettext("{n} task", "{n} tasks", tasks).format(n=tasks)])
                group_list.append({"label": label, "level": level, "province": province, "docs": members,
                                   "search": _search_keys([province])})
        for i, (doc, data) in enumerate(self.documents):
            count = len(self.items[i])
            lines = [_short(data.get("label") or doc, 60)]
            place = data.get("jurisdiction") or data.get("issuer")
            if place:
                lines.append(_short(place, 40))
            if data.get("placeholder"):
                lines.append(_("cited, not loaded"))
            else:
                lines.append(ngettext("{n} task", "{n} tasks", count).format(n=count))
                lines.append(_("task links: {up} up, {down} down").format(up=self.links_up[i],
                                                                         down=self.links_down[i]))
            info = {name: str(data[name]) for name in ("number", "type", "title", "issuer", "date", "jurisdiction",
                                                       "source") if data.get(name)}
            docs.append({"id": doc, "label": "\n".join(lines), "name": data.get("label") or doc,
                         "level": data.get("level"), "placeholder": bool(data.get("placeholder")),
                         "group": group_of.get(i, -1), "items": count, "up": self.links_up[i],
                         "down": self.links_down[i], "info": info,
                         "search": _search_keys(search_texts(data))})
        links = []
        for (a, b), counts in sorted(self.pairs.items()):
            relations = sorted(r for r in counts if r in OVERVIEW_RELATIONS)
            links.append({"from": a, "to": b, "relations": relations,
                          "tasks": counts[Relation.DERIVED_FROM.value],
                          "bands": {band: counts[f"band:{band}"] for band in ("strong", "likely", "weak")
                                    if counts[f"band:{band}"]},
                          "confirmed": counts["status:confirmed"]})
        return {"mode": "overview", "title": title, "focus": None, "strings": _strings(), "label_width": _LABEL_TEXT,
                "levels": [{"level": level, "label": names[level], "colour": LEVEL_COLOURS[level]}
                           for level in (*_LEVEL_RANKS, None)],
                "documents": docs, "groups": group_list, "links": links,
                "colours": {"level": {str(k): v for k, v in LEVEL_COLOURS.items()}, "link": _LINK_COLOURS}}

    def item_blobs(self) -> list[list[list[Any]]]:
        """Per document, its items as ``[path, kind, None, text, lead, deadline, search keys, up links]``,
        and the item's id last when it is not ``document#path``; an up link is ``[document index,
        item index (-1: the document), score, band, status]``. The page writes each node's label
        from path, text, lead and deadline as :func:`item_label` does (sent ready-made, the labels
        were a quarter of a national page)."""
        blobs = []
        for (doc, _data), items in zip(self.documents, self.items, strict=True):
            blob = []
            for item in items:
                text = item.text or ""
                up = [[d, j, link.score, link.band, link.status] for d, j, link in self.up.get(item.id, [])]
                entry = [item.path, item.kind, None,
                         text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…", item.lead,
                         item.deadline, item.keys or _search_keys([text]), up]
                if item.id != f"{doc}#{item.path}":
                    entry.append(item.id)
                blob.append(entry)
            blobs.append(blob)
        return blobs


def overview_of_graph(G: Graph) -> Overview:
    """The :class:`Overview` of the documents of ``G``."""
    documents = [(n, d) for n, d in G.nodes(data=True) if d.get("kind") == NodeKind.DOCUMENT.value]
    items = []
    for n, d in G.nodes(data=True):
        if d.get("kind") in _SHOWN_ITEMS and d.get("document") in G:
            lines = d.get("lines") or [0]
            items.append(ItemRow(n, d["kind"], d["document"], d.get("path"), d.get("text"), list(d.get("lead") or []),
                                 d.get("deadline_text"), int(lines[0])))
    links = [LinkRow(u, v, k, d.get("score"), d.get("band"), d.get("status"))
             for u, v, k, d in G.edges(keys=True, data=True) if k in OVERVIEW_RELATIONS]
    return overview_of_rows(documents, items, links)


def overview_of_workspace(workspace: Path) -> Overview:
    """The :class:`Overview` of a workspace, read from its store without building the graph."""
    from plankg.graph.workspace import overview_rows

    documents, items, links, keys = overview_rows(workspace, _SHOWN_ITEMS, sorted(OVERVIEW_RELATIONS))
    return overview_of_rows(
        documents,
        (ItemRow(n, k, doc, path, text, lead or [], deadline, int(line or 0), keys.get(n))
         for n, k, (doc, path, text, lead, deadline, line) in ((n, k, orjson.loads(fields)) for n, k, fields in items)),
        (LinkRow(*row) for row in links))


# Enum values read once per link of a national overview (an enum member's .value is a descriptor call).
_REJECTED, _CONFIRMED = LinkStatus.REJECTED.value, LinkStatus.CONFIRMED.value
_DERIVED = Relation.DERIVED_FROM.value


def overview_of_rows(documents: Iterable[tuple[str, dict[str, Any]]], items: Iterable[ItemRow],
                     links: Iterable[LinkRow]) -> Overview:
    """The :class:`Overview` of document nodes, their items and the links among them, in any order.

    Rejected links are left out; a link whose ends are not documents or items of them is too.
    """
    names = {level: i for i, level in enumerate(_LEVEL_RANKS)}

    def order(entry: tuple[str, dict[str, Any]]) -> tuple[Any, ...]:
        doc, data = entry
        return (names.get(str(data.get("level")), len(names)), bool(data.get("placeholder")),
                data.get("province") or "", data.get("jurisdiction") or "", data.get("label") or "", doc)

    ordered = sorted(documents, key=order)
    index = {doc: i for i, (doc, _) in enumerate(ordered)}
    per_doc: list[list[ItemRow]] = [[] for _ in ordered]
    for item in items:
        if item.document in index:
            per_doc[index[item.document]].append(item)
    where: dict[str, tuple[int, int]] = {doc: (i, -1) for doc, i in index.items()}
    for i, rows in enumerate(per_doc):
        rows.sort(key=lambda r: (r.line, r.id))
        where.update((row.id, (i, j)) for j, row in enumerate(rows))
    up: dict[str, list[tuple[int, int, LinkRow]]] = defaultdict(list)
    pairs: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
    links_up, links_down = [0] * len(ordered), [0] * len(ordered)
    for link in links:  # in any order: what is kept of them is sorted or counted
        if link.status == _REJECTED or link.source not in where or link.target not in where:
            continue
        (a, i), (b, j) = where[link.source], where[link.target]
        if i >= 0 and link.relation in LINEAGE_RELATIONS:
            up[link.source].append((b, j, link))
        if a == b:
            continue
        counts = pairs[(a, b)]
        counts[link.relation] += 1
        if link.relation == _DERIVED:
            links_up[a] += 1
            links_down[b] += 1
            counts[f"band:{link.band}"] += 1
            counts[f"status:{link.status}"] += 1
    for ups in up.values():
        ups.sort(key=lambda u: (u[2].status != _CONFIRMED, -(u[2].score or 0.0), u[0], u[1]))
    return Overview(ordered, per_doc, dict(up), dict(pairs), links_up, links_down)


# --- focus tree -----------------------------------------------------------------------------

@dataclass
class Tree:
    """The focus tree: drawn nodes, each one's parent in the tree, and positions."""

    focus: str
    nodes: set[str]
    parent: dict[str, str]
    positions: dict[str, tuple[float, float]]
    marked: set[str]


def focus_tree(G: Graph, focus: str, nodes: set[str]) -> Tree:
    """Lay the cascade ``nodes`` around ``focus`` out as a tree, the directive on top.

    Tasks and targets hang under their best lineage parent among ``nodes`` (confirmed
    first, then by score), and under their document when they have none; a document hangs
    under the document it applies when that one is drawn. Sections and agencies are not
    drawn (a task's node names its lead); a focused section is. Leaves sit side by side in
    order (in rows of six when one node has many and nothing hangs below them) and each
    parent is centred over its children, or over the first when they spread wide.

    >>> from plankg.loaders import load_text
    >>> from plankg.graph import build_graph
    >>> G = build_graph([load_text("Số: 5/KH-UBND\\nKẾ HOẠCH\\nThử\\n1. Việc một.\\n2. Việc hai.", source="a.txt")])
    >>> tree = focus_tree(G, "unknown-issuer/x/5-kh-ubnd", view_nodes(G, "unknown-issuer/x/5-kh-ubnd"))
    >>> sorted(tree.positions.items())
    [('unknown-issuer/x/5-kh-ubnd', (140.0, 0.0)), ('unknown-issuer/x/5-kh-ubnd#1', (0.0, 230.0)), \
('unknown-issuer/x/5-kh-ubnd#2', (280.0, 230.0))]
    """
    kinds = {n: G.nodes[n]["kind"] for n in nodes}
    items = {n for n, k in kinds.items() if k in _SHOWN_ITEMS or (n == focus and k == NodeKind.SECTION.value)}
    parent: dict[str, str] = {}
    documents: set[str] = set()
    for node in sorted(items):
        best = _best_parent(G, node, items)
        if best is None:
            best = G.nodes[node].get("document")
            if best not in nodes:
                continue
            documents.add(best)
        parent[node] = best
    if kinds[focus] == NodeKind.DOCUMENT.value:
        documents.add(focus)
    pending = sorted(documents)
    while pending:  # documents above the drawn ones, through applies
        doc = pending.pop()
        best = _best_parent(G, doc, {n for n in nodes if kinds[n] == NodeKind.DOCUMENT.value})
        if best is not None and not _is_below(parent, best, doc):
            parent[doc] = best
            if best not in documents:
                documents.add(best)
                pending.append(best)
    drawn = items | documents
    parent = {n: p for n, p in parent.items() if p in drawn and not _is_below(parent, p, n)}
    children: dict[str, list[str]] = defaultdict(list)
    for node, up in parent.items():
        children[up].append(node)
    for kids in children.values():
        kids.sort(key=lambda n: _tree_order(G, n))
    positions: dict[str, tuple[float, float]] = {}
    column = 0

    def place(node: str, row: int) -> float:
        nonlocal column
        kids = children.get(node, [])
        if len(kids) > _TREE_LEAVES and not any(kid in children for kid in kids):
            # Many leaves under one node: a grid of rows, not one endless row.
            first = column
            for i, kid in enumerate(kids):
                line, col = divmod(i, _TREE_LEAVES)
                positions[kid] = (float((first + col) * _TREE_DX), float((row + 1 + line) * _TREE_DY))
            column += _TREE_LEAVES
            x = (first + (_TREE_LEAVES - 1) / 2) * _TREE_DX
        elif kids:
            xs = [place(kid, row + 1) for kid in kids]
            # Centred over few children; over the first of many, where a reader finds it
            # beside the start of what hangs below it.
            x = (xs[0] + xs[-1]) / 2 if xs[-1] - xs[0] <= _TREE_WIDE * _TREE_DX else xs[0]
        else:
            x = column * _TREE_DX
            column += 1
        positions[node] = (float(x), float(row * _TREE_DY))
        return x

    for root in sorted((n for n in drawn if n not in parent), key=lambda n: _tree_order(G, n)):
        place(root, 0)
    marked = _seeds(G, focus) & drawn
    return Tree(focus, drawn, parent, positions, marked)


def _is_below(parent: dict[str, str], node: str, ancestor: str) -> bool:
    """Is ``node`` below ``ancestor`` in the tree (so that hanging ancestor under it makes a loop)?"""
    seen = set()
    while node in parent and node not in seen:
        seen.add(node)
        node = parent[node]
        if node == ancestor:
            return True
    return False


def _best_parent(G: Graph, node: str, candidates: set[str]) -> str | None:
    ups = [(d.get("status") != LinkStatus.CONFIRMED.value, -(d.get("score") or 0.0), v)
           for _, v, d in G.out_edges(node, data=True) if v in candidates and v != node and _is_lineage(d)]
    return min(ups)[2] if ups else None


def _tree_order(G: Graph, node: str) -> tuple[Any, ...]:
    data = G.nodes[node]
    document = str(data.get("document") or node)
    doc = G.nodes[document] if document in G else {}
    rank = _LEVEL_RANKS.index(doc.get("level")) if doc.get("level") in _LEVEL_RANKS else len(_LEVEL_RANKS)
    lines = data.get("lines") or [0]
    return (rank, doc.get("province") or "", doc.get("label") or "", document, min(lines), node)


def _tree_nodes(G: Graph, tree: Tree) -> list[dict[str, Any]]:
    nodes = []
    for node in sorted(tree.nodes):
        data = G.nodes[node]
        level = _node_level(G, node)
        base = LEVEL_COLOURS.get(level, LEVEL_COLOURS[None])
        x, y = tree.positions[node]
        marked = node in tree.marked
        entry: dict[str, Any] = {"id": node, "x": x, "y": y, "shape": "box",
                                 "widthConstraint": {"minimum": _TREE_WIDTH, "maximum": _TREE_WIDTH},
                                 "borderWidth": 4 if marked else 1, "margin": 10}
        if data["kind"] == NodeKind.DOCUMENT.value:
            lines = [_short(data.get("label") or node, 70)]
            place = data.get("jurisdiction") or data.get("issuer")
            if place:
                lines.append(_short(place, 50))
            entry.update(label="\n".join(lines), font={"size": 16, "color": "#ffffff", "bold": True},
                         color={"background": base, "border": _tint(base, -0.4),
                                "highlight": {"background": _tint(base, -0.2), "border": "#1b2631"}})
            if data.get("placeholder"):  # cited, not loaded: as in the overview, white and dashed
                entry.update(font={"size": 15, "color": "#1b2631"}, shapeProperties={"borderDashes": [5, 4]},
                             borderWidth=2, color={"background": "#ffffff", "border": base,
                                                   "highlight": {"background": "#fdf2e9", "border": "#1b2631"}})
        else:
            label = item_label(data.get("path"), data.get("text"), list(data.get("lead") or []),
                               data.get("deadline_text"))
            entry.update(label=label, font={"size": 15, "color": "#1b2631", "align": "left"},
                         color={"background": _tint(base, 0.85), "border": base,
                                "highlight": {"background": "#fcf3cf", "border": "#1b2631"}})
        nodes.append(entry)
    return nodes


def _tree_edges(G: Graph, tree: Tree) -> list[dict[str, Any]]:
    """Lineage links among the tree's nodes (child to parent; those off the tree dashed and
    curved), and a plain line from each item hung under its document."""
    found = sorted(((u, v, str(k), d) for u in tree.nodes for _, v, k, d in G.out_edges(u, keys=True, data=True)
                    if v in tree.nodes and v != u and _is_lineage(d)), key=lambda e: e[:3])
    edges = [_tree_edge(f"e{i}", u, v, k, d, in_tree=tree.parent.get(u) == v) for i, (u, v, k, d) in enumerate(found)]
    linked = {(u, v) for u, v, _, _ in found}
    for u, v in sorted(tree.parent.items()):
        if (u, v) not in linked:
            edges.append({"id": f"e{len(edges)}", "from": u, "to": v, "relation": Relation.PART_OF.value,
                          "color": {"color": "#c8ccd0"}, "width": 1, "arrows": {"to": {"enabled": False}}})
    return edges


def _tree_edge(edge_id: str, u: str, v: str, relation: str, data: dict[str, Any], *, in_tree: bool) -> dict[str, Any]:
    edge: dict[str, Any] = {"id": edge_id, "from": u, "to": v, "relation": relation}
    for name in ("score", "band", "method", "status", "evidence", "reason", "inferred"):
        if data.get(name) is not None:
            edge[name] = data[name]
    if relation == Relation.DERIVED_FROM.value:
        status = data.get("status", LinkStatus.PROPOSED.value)
        score = float(data.get("score") or 0.0)
        band = data.get("band")
        edge.update(color={"color": _LINK_COLOURS.get(status, _LINK_COLOURS[LinkStatus.PROPOSED.value])},
                    width=round(1.5 + 3 * min(score, 1.0), 2), dashes=status != LinkStatus.CONFIRMED.value,
                    label=" ".join(x for x in (f"{score:.2f}", _band_name(band)) if x))
    else:
        edge.update(color={"color": "#34495e"}, width=2)
    if not in_tree:  # another parent of the task: a light line, its score in the info panel
        edge.update(dashes=[4, 6], width=1, label=None, smooth={"enabled": True, "type": "curvedCW", "roundness": 0.15})
        edge["color"] = {"color": edge["color"]["color"], "opacity": 0.35}
    return edge


def _band_name(band: str | None) -> str:
    names = {"strong": _("strong"), "likely": _("likely"), "weak": _("weak")}
    return names.get(band or "", band or "")


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


def _node_details(G: Graph, node: str, nodes: set[str]) -> dict[str, Any]:
    """What the tooltip and info panel show (plain strings, never markup), and search keys."""
    data = G.nodes[node]
    kind = data["kind"]
    details: dict[str, Any] = {"kind": kind, "level": _node_level(G, node), "label": data.get("label") or node,
                               "search": _search_keys(search_texts(data))}
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
    text = orjson.dumps(obj).decode("utf-8")  # as json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _inline(code: str) -> str:
    """Library code made safe to inline: no ``</script`` or ``</style`` can end its element early."""
    return _CLOSING_TAG.sub(lambda m: "<\\/" + m.group(1), code).replace("<!--", "<\\!--")


def vis_assets() -> tuple[str, str]:
    """The vis-network JavaScript and CSS shipped with the installed pyvis (newest version).

    pyvis is found, not imported: importing it loads IPython and jinja2, seconds for nothing.
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ExportError("pyvis is not installed: it ships the vis-network files the page inlines")
    root = Path(next(iter(spec.submodule_search_locations)))
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


def _forms(singular: str, plural: str) -> list[str]:
    """A count's words for one and for more, the script choosing by ``{n}`` (English and
    Vietnamese have at most these two forms)."""
    return [ngettext(singular, plural, 1), ngettext(singular, plural, 2)]


def _strings() -> dict[str, str | list[str]]:
    """The page script's words, in the current language (``{n}`` and such filled in by the
    script); a count's words are its :func:`_forms`."""
    return {
        "document": _("Document"), "section": _("Section"), "task": _("Task"), "target": _("Target"),
        "agency": _("Agency"), "group": _("Group of plans"),
        "lead_line": _("Lead: {agencies}"), "deadline_line": _("Deadline: {deadline}"), "no_text": _("(no text)"),
        "derived_from": _("derived from"), "applies": _("applies"), "attached_to": _("attached to"),
        "cites": _("cites"), "based_on": _("based on"), "part_of": _("part of"),
        "strong": _("strong"), "likely": _("likely"), "weak": _("weak"),
        "proposed": _("proposed"), "confirmed": _("confirmed"), "rejected": _("rejected"),
        "cited_not_loaded": _("cited, not loaded"), "level_unknown": _("Level unknown"),
        "number": _("Number"), "title": _("Title"), "issuer": _("Issuer"), "date": _("Date"),
        "jurisdiction": _("Jurisdiction"), "source": _("Source"), "id": _("Id"), "name": _("Name"),
        "kind": _("Kind"), "in_document": _("Document"), "path": _("Path"), "lead": _("Lead"),
        "support": _("Support"), "deadline": _("Deadline"), "indicator": _("Indicator"),
        "score": _("Score"), "confidence": _("Confidence"), "status": _("Status"), "method": _("Method"),
        "shared": _("Shared phrases"), "reason": _("Reason"), "from": _("From"), "to": _("To"),
        "comes_from": _("Comes from"), "taken_up_by": _("Taken up by"), "not_drawn": _("(not drawn)"),
        "more": _("{n} more"), "found": _("{n} found"), "no_match": _("no match"),
        "step": _("{i} / {n}"),
        "summary_overview": _("{documents} · {tasks} · {links}"),
        "summary_tree": _("{nodes} · focus: {focus} (depth {depth})"),
        "documents_n": _forms("{n} document", "{n} documents"), "tasks_n": _forms("{n} task", "{n} tasks"),
        "nodes_n": _forms("{n} node", "{n} nodes"),
        "tasks_count": _("Tasks"), "links_up": _("Task links up"), "links_down": _("Task links down"),
        "task_links": _forms("{n} task link", "{n} task links"),
        "open_tasks": _("Show tasks"), "close_tasks": _("Hide tasks"),
        "open_group": _("Show plans"), "close_group": _("Hide plans"),
        "results": _("Best matches"),
    }


def _legend(mode: str) -> str:
    names = _level_names()
    legend = _("Legend")
    rows = [f"<h2>{html.escape(legend)}</h2>", '<ul class="legend-levels">']
    for level in (*_LEVEL_RANKS, None):
        rows.append(f'<li><span class="swatch" style="background:{LEVEL_COLOURS[level]}"></span>'
                    f"{html.escape(names[level])}</li>")
    rows.append('</ul><ul class="legend-edges">')
    entries = [(_("task links, proposed (score, confidence)"), "proposed"), (_("task links, confirmed"), "confirmed"),
               (_("applies / attached to"), "applies")]
    if mode == "overview":
        entries.append((_("cites"), "cites"))
    else:
        entries.append((_("another parent of the task"), "other"))
    for label, css in entries:
        rows.append(f'<li><span class="line {css}"></span>{html.escape(label)}</li>')
    rows.append("</ul>")
    return "".join(rows)


def _page(title: str, payload: dict[str, Any], language: str,
          blobs: Iterable[tuple[str, Any]] = ()) -> str:
    vis_js, vis_css = vis_assets()
    scripts = [_inline(vis_js), _inline(_static("viewer.js"))]
    styles = [_inline(vis_css), _inline(_static("viewer.css"))]
    csp = ("default-src 'none'; script-src " + " ".join(_csp_hash(s) for s in scripts)
           + "; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    heading = html.escape(title)
    placeholder, search, graph = _("Search (diacritics optional)…"), _("Search"), _("Graph")
    mode = payload["mode"]
    if mode == "overview":
        hint = _("Click a document to show its tasks, and again to hide them; click a group to show its plans. "
                 "Search finds documents and tasks with or without diacritics; Enter steps through the matches.")
    else:
        hint = _("Click a box or link for details. Search finds text, agencies and numbers with or without "
                 "diacritics; Enter steps through the matches.")
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(language)}">',
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
        f'<input id="search" type="search" placeholder="{html.escape(placeholder)}"'
        f' autocomplete="off" spellcheck="false" aria-label="{html.escape(search)}">',
        '<span id="search-count" aria-live="polite"></span>',
        "</header>",
        '<main id="main">',
        f'<div id="graph" role="img" aria-label="{html.escape(graph)}"></div>',
        '<aside id="side">',
        '<section id="results" hidden></section>',
        f'<section id="info"><p class="hint">{html.escape(hint)}</p></section>',
        f'<section id="legend">{_legend(mode)}</section>',
        "</aside>",
        "</main>",
        f'<script type="application/json" id="plankg-data">{script_json(payload)}</script>',
        *(f'<script type="application/json" id="{name}">{script_json(blob)}</script>' for name, blob in blobs),
        *(f"<script>{s}</script>" for s in scripts),
        "</body>",
        "</html>",
        "",
    ])
