"""Questions asked of the graph: plain functions of a :class:`networkx.MultiDiGraph`.

* :func:`lineage` - from a ward task up to the highest directive it comes from;
* :func:`cascade` - the tree below a document or task;
* :func:`gaps` - higher tasks not taken up, local tasks without a source, tasks given to
  every commune that a loaded commune plan does not pick up;
* :func:`agency_tasks`, :func:`search`, :func:`show`, :func:`stats`, :func:`deadlines`.

Node and edge attributes are those of :mod:`plankg.graph.build`. Every function taking a
node id raises :class:`~plankg.errors.UnknownNodeError` for an id not in the graph. Results
are frozen dataclasses (or plain dicts) in a deterministic order. ``rejected`` lineage links
are kept in the graph for the record but never followed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plankg.errors import PlankgError, UnknownNodeError
from plankg.i18n import _, term
from plankg.model import AgencyKind, Level, LinkBand, LinkStatus, NodeKind, Relation, link_band
from plankg.normalize import fold, search_key, strip_accents

if TYPE_CHECKING:
    from typing import TypeAlias

    from plankg.graph.build import Graph as _Whole
    from plankg.graph.subgraph import Subgraph

    #: The whole graph, or the neighbourhood of the store that lineage, cascade and show read.
    Graph: TypeAlias = _Whole | Subgraph

__all__ = [
    "AgencyTask",
    "CascadeNode",
    "DeadlineEntry",
    "Gap",
    "Gaps",
    "Hit",
    "Step",
    "agency_tasks",
    "cascade",
    "deadlines",
    "gaps",
    "lineage",
    "search",
    "show",
    "stats",
]

_ITEMS = (NodeKind.TASK.value, NodeKind.TARGET.value)
_DOCUMENT = NodeKind.DOCUMENT.value
_CHAIN = (Relation.APPLIES.value, Relation.ATTACHED_TO.value)
_DERIVED = Relation.DERIVED_FROM.value
# Enum members' values, read once: the gaps of a national graph ask for them millions of times.
_LEAD = Relation.LEAD.value
_ROLES = (Relation.LEAD.value, Relation.SUPPORT.value)
_REJECTED = LinkStatus.REJECTED.value
_CONFIRMED = LinkStatus.CONFIRMED.value
_TASK = NodeKind.TASK.value
_COLLECTIVE = AgencyKind.COLLECTIVE.value
_DISTRIBUTIVE = AgencyKind.DISTRIBUTIVE.value
_COMMUNE = Level.COMMUNE.value
#: A plan implements a higher document it does not cite when this many of its items derive
#: from that document's items (or one does through a link a person confirmed): see gaps().
LINKED_ITEMS = 2


# --- lineage -------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One step of a lineage: a task, target or document and the edge that led to it.

    ``relation`` is None for the starting node; ``score``, ``method``, ``status`` and
    ``evidence`` come from that edge (``derived_from`` links, inferred ``applies``).
    ``document`` is the document of a task or target (None for a document); ``level`` is
    the administrative level of the document.
    """

    id: str
    kind: str
    label: str
    text: str | None
    document: str | None
    level: str | None
    relation: str | None = None
    score: float | None = None
    method: str | None = None
    status: str | None = None
    evidence: tuple[str, ...] = ()
    placeholder: bool = False
    band: str | None = None


def lineage(G: Graph, node_id: str) -> list[Step]:
    """The chain from a task, target or document up to the highest directive reached.

    From a task or target, the best ``derived_from`` link is followed upward repeatedly
    (confirmed before proposed, then the highest score; rejected links never); from the
    top item's document, ``applies`` then ``attached_to`` edges lead upward through
    placeholder documents to the highest document. From a document, only that chain.

    Parameters
    ----------
    G : MultiDiGraph
        A plankg graph.
    node_id : str
        Id of a task, target or document.

    Returns
    -------
    list of Step
        The start first, the highest document last.

    Raises
    ------
    UnknownNodeError
        ``node_id`` is not in ``G``.
    PlankgError
        ``node_id`` is a section or an agency.

    Examples
    --------
    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("qd", kind="document", label="Quyết định 1/QĐ-TTg", level="national", placeholder=True)
    >>> G.add_node("kh", kind="document", label="Kế hoạch 2/KH-TTg", level="national")
    >>> G.add_node("kh#1", kind="task", label="Phát triển du lịch", document="kh")
    >>> G.add_node("p#3", kind="task", label="Du lịch cộng đồng", document="p")
    >>> G.add_node("p", kind="document", label="Kế hoạch 7/KH-UBND", level="commune")
    >>> _ = G.add_edge("kh", "qd", key="applies", relation="applies")
    >>> _ = G.add_edge("p#3", "kh#1", key="derived_from", relation="derived_from", score=0.8,
    ...                status="proposed", method="tfidf", evidence=["du lịch"])
    >>> [(s.id, s.relation, s.score) for s in lineage(G, "p#3")]
    [('p#3', None, None), ('kh#1', 'derived_from', 0.8), ('kh', 'part_of', None), ('qd', 'applies', None)]
    """
    data = _node(G, node_id)
    steps = [_step(G, node_id)]
    seen = {node_id}
    current = node_id
    if data.get("kind") in _ITEMS:
        while (link := _best_parent(G, current, seen)) is not None:
            current = link[0]
            seen.add(current)
            steps.append(_step(G, current, link[1]))
        document = G.nodes[current].get("document")
        if document is None or document not in G:
            return steps
        current = document
        seen.add(current)
        steps.append(_step(G, current, {"relation": Relation.PART_OF.value}))
    elif data.get("kind") != _DOCUMENT:
        raise _wrong_kind(G, node_id, "lineage")
    while (edge := _best_upward(G, current, seen)) is not None:
        current = edge[0]
        seen.add(current)
        steps.append(_step(G, current, edge[1]))
    return steps


def _best_parent(G: Graph, node: str, seen: set[str]) -> tuple[str, dict[str, Any]] | None:
    return best_link([(v, d) for _, v, d in G.out_edges(node, data=True) if v not in seen])


def best_link(edges: Iterable[tuple[str, dict[str, Any]]]) -> tuple[str, dict[str, Any]] | None:
    """The lineage parent among a node's out-edges (parent, edge attributes): a confirmed
    ``derived_from`` link first, then the highest score, then the parent id; rejected never."""
    links = [(v, d) for v, d in edges if _is_link(d)]
    if not links:
        return None
    return min(links, key=lambda link: (link[1].get("status") != LinkStatus.CONFIRMED.value,
                                        -(link[1].get("score") or 0.0), link[0]))


def _best_upward(G: Graph, node: str, seen: set[str]) -> tuple[str, dict[str, Any]] | None:
    edges = [(v, d) for _, v, d in G.out_edges(node, data=True) if d.get("relation") in _CHAIN and v not in seen]
    if not edges:
        return None
    # applies before attached_to, then the higher document, then a stated edge before an inferred one.
    return min(edges, key=lambda e: (e[1]["relation"] != Relation.APPLIES.value, _rank(G, e[0]),
                                     bool(e[1].get("inferred")), e[0]))


def _step(G: Graph, node: str, edge: dict[str, Any] | None = None) -> Step:
    data = G.nodes[node]
    edge = edge or {}
    return Step(
        id=node, kind=data.get("kind", ""), label=data.get("label", node), text=_text(data),
        document=data.get("document"), level=_level(G, node), relation=edge.get("relation"),
        score=edge.get("score"), method=edge.get("method"), status=edge.get("status"),
        evidence=tuple(edge.get("evidence") or ()), placeholder=bool(data.get("placeholder")),
        band=edge.get("band"),
    )


# --- cascade -------------------------------------------------------------------------

@dataclass(frozen=True)
class CascadeNode:
    """A node of a cascade tree and the edge that hangs it below its parent.

    ``relation`` is None for the root, ``part_of`` for a document's own task, ``applies`` or
    ``attached_to`` for a lower document and ``derived_from`` for a lower task (with the
    link's ``score`` and ``status``). Tasks carry their ``lead`` agencies and deadline.
    """

    id: str
    kind: str
    label: str
    text: str | None
    document: str | None
    level: str | None
    relation: str | None = None
    score: float | None = None
    status: str | None = None
    lead: tuple[str, ...] = ()
    deadline: str | None = None
    deadline_end: str | None = None
    placeholder: bool = False
    children: tuple[CascadeNode, ...] = ()
    band: str | None = None
    note: str | None = None

    def walk(self) -> Iterator[CascadeNode]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def cascade(G: Graph, node_id: str) -> CascadeNode:
    """The tree below a document or task.

    Below a document: the documents that apply or are attached to it (recursively, through
    placeholders), and each of its tasks and targets that lower items derive from, with
    those items below them (recursively). Below a task or target: the items derived from
    it, recursively. Rejected links are not followed.

    Parameters
    ----------
    G : MultiDiGraph
        A plankg graph.
    node_id : str
        Id of a document, task or target.

    Returns
    -------
    CascadeNode
        The root, whose ``children`` hold the tree.

    Raises
    ------
    UnknownNodeError
        ``node_id`` is not in ``G``.
    PlankgError
        ``node_id`` is a section or an agency.

    Examples
    --------
    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("kh", kind="document", label="Kế hoạch 2/KH-TTg", level="national")
    >>> G.add_node("kh#1", kind="task", label="Phát triển du lịch", document="kh")
    >>> G.add_node("p", kind="document", label="Kế hoạch 7/KH-UBND", level="commune")
    >>> G.add_node("p#3", kind="task", label="Du lịch cộng đồng", document="p", lead=["UBND phường"])
    >>> _ = G.add_edge("p", "kh", key="applies", relation="applies")
    >>> _ = G.add_edge("p#3", "kh#1", key="derived_from", relation="derived_from", score=0.8, status="proposed")
    >>> [(n.id, n.relation, n.lead) for n in cascade(G, "kh").walk()]
    [('kh', None, ()), ('p', 'applies', ()), ('kh#1', 'part_of', ()), ('p#3', 'derived_from', ('UBND phường',))]
    """
    data = _node(G, node_id)
    if data.get("kind") not in (_DOCUMENT, *_ITEMS):
        raise _wrong_kind(G, node_id, "cascade")
    index = _Index(G)
    return _cascade(G, index, node_id, None, frozenset())


def _cascade(G: Graph, index: _Index, node: str, edge: dict[str, Any] | None, path: frozenset[str]) -> CascadeNode:
    path = path | {node}
    children: list[CascadeNode] = []
    if G.nodes[node].get("kind") == _DOCUMENT:
        for lower, attrs in _lower_documents(G, node):
            if lower not in path:
                children.append(_cascade(G, index, lower, attrs, path))
        for item in index.items.get(node, ()):
            if _derived_children(G, item):
                children.append(_cascade(G, index, item, {"relation": Relation.PART_OF.value}, path))
        children += _inheriting_units(G.nodes[node])
    else:
        for child, attrs in _derived_children(G, item=node, order=index.order):
            if child not in path:
                children.append(_cascade(G, index, child, attrs, path))
    data = G.nodes[node]
    edge = edge or {}
    return CascadeNode(
        id=node, kind=data.get("kind", ""), label=data.get("label", node), text=_text(data),
        document=data.get("document"), level=_level(G, node), relation=edge.get("relation"),
        score=edge.get("score"), status=edge.get("status"), lead=tuple(data.get("lead") or ()),
        deadline=data.get("deadline_text"), deadline_end=data.get("deadline_end"),
        placeholder=bool(data.get("placeholder")), children=tuple(children), band=edge.get("band"),
    )


def _inheriting_units(data: dict[str, Any]) -> list[CascadeNode]:
    """The units that took over the territory of a plan's former unit on 1 July 2025: the
    plan reaches them as inherited (:func:`plankg.graph.units.inherited_by`)."""
    if not (data.get("admin_unit") or "").endswith("@pre2025"):
        return []
    from plankg.graph.units import inherited_by
    from plankg.i18n import _

    return [CascadeNode(id=unit.id, kind="unit", label=unit.describe(), text=None, document=None,
                        level=unit.level.value, relation="inherited_by",
                        note=_("inherited: {note}").format(note=note))
            for unit, note in inherited_by(data)]


def _lower_documents(G: Graph, document: str) -> list[tuple[str, dict[str, Any]]]:
    return sorted(((u, d) for u, _, d in G.in_edges(document, data=True) if d.get("relation") in _CHAIN),
                  key=lambda e: (e[0], e[1]["relation"]))


def out_links(G: Graph, node: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(target, key, attributes) of each edge leaving ``node``, in ``G.out_edges`` order.

    Read from networkx's adjacency dictionaries: building an edge view per node cost more
    than the rest of the work in the whole-graph passes of a national build (gaps, linking).

    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> _ = G.add_edge("t", "a", key="lead", relation="lead")
    >>> out_links(G, "t"), in_links(G, "a")
    ([('a', 'lead', {'relation': 'lead'})], [('t', 'lead', {'relation': 'lead'})])
    """
    adjacency: dict[str, dict[str, dict[str, Any]]] = G._succ[node]  # type: ignore[union-attr]
    return [(target, key, data) for target, keyed in adjacency.items() for key, data in keyed.items()]


def in_links(G: Graph, node: str) -> list[tuple[str, str, dict[str, Any]]]:
    """(source, key, attributes) of each edge reaching ``node``, in ``G.in_edges`` order."""
    adjacency: dict[str, dict[str, dict[str, Any]]] = G._pred[node]  # type: ignore[union-attr]
    return [(source, key, data) for source, keyed in adjacency.items() for key, data in keyed.items()]


def edges_with_data(G: Graph) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(source, target, attributes) of every edge, in ``G.edges`` order, read from the
    adjacency dictionaries (an edge view costs more than a whole-graph pass's own work).

    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> _ = G.add_edge("t", "a", key="lead", relation="lead")
    >>> list(edges_with_data(G))
    [('t', 'a', {'relation': 'lead'})]
    """
    successors: dict[str, dict[str, dict[str, dict[str, Any]]]] = G._succ  # type: ignore[union-attr]
    for source, adjacency in successors.items():
        for target, keyed in adjacency.items():
            for data in keyed.values():
                yield source, target, data


def _derived_children(G: Graph, item: str, order: Callable[[str], Any] | None = None,
                      ) -> list[tuple[str, dict[str, Any]]]:
    """Items derived from ``item`` by links that are not rejected, with the links' attributes."""
    links = [(u, d) for u, _, d in in_links(G, item) if _is_link(d)]
    return sorted(links, key=lambda link: order(link[0]) if order else link[0])


# --- gaps ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Gap:
    """A task the cascade lost.

    ``document`` is the task's own document; ``lower`` the lower document that should have
    taken it up (uncascaded and unpicked tasks); ``agency`` the distributive agency that
    addressed it to every commune (unpicked tasks). An orphan's ``reason`` is
    ``"not-loaded"`` when the documents its plan implements are cited but not loaded
    (``missing`` gives their numbers: load them and build again) or ``"no-match"`` when
    no loaded higher task matches it. A weak-only task's ``parent`` is its best, weak,
    candidate parent. ``path`` is the task's item number in its document ("II/1/b"),
    ``lead`` and ``support`` the names of the agencies it gives it to.
    """

    task: str
    label: str
    document: str
    lower: str | None = None
    agency: str | None = None
    reason: str | None = None
    missing: tuple[str, ...] = ()
    parent: str | None = None
    score: float | None = None
    path: str | None = None
    lead: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    note: str | None = None  # inherited gaps: the former unit and when its plan was made

    def concerns(self, key: str) -> bool:
        """Does the task name an agency (lead or support) whose :func:`~plankg.normalize.search_key`
        holds ``key``?"""
        return any(key in search_key(name) for name in (*self.lead, *self.support))


@dataclass(frozen=True)
class Gaps:
    """The kinds of gaps found by :func:`gaps`."""

    uncascaded: tuple[Gap, ...] = ()
    orphans: tuple[Gap, ...] = ()
    unpicked: tuple[Gap, ...] = ()
    weak: tuple[Gap, ...] = ()
    inherited: tuple[Gap, ...] = ()


def gaps(G: Graph, *, level: Level | str | None = None, under: str | None = None,
         agency: str | None = None) -> Gaps:
    """Where the cascade breaks.

    * ``uncascaded``: for each loaded document D and each loaded higher-level document P
      that D implements (through ``applies``/``attached_to`` chains, placeholders allowed
      in between, or through its tasks' ``derived_from`` links: from :data:`LINKED_ITEMS`
      of its items, or one a person confirmed), the tasks of P meant for
      D's level (no lead, an agency of that level, or a collective lead) that no item of D
      derives from;
    * ``orphans``: tasks of loaded non-national documents without a ``derived_from`` parent,
      with the reason: the documents their plan implements are not loaded, or nothing matches;
    * ``weak``: tasks of loaded non-national documents whose only parents are weak
      proposed links (a candidate to review, not lineage);
    * ``unpicked``: tasks led or supported by a distributive agency addressed to communes
      ("UBND các xã, phường") that a loaded commune document of the same province does
      not derive any task from.

    Parameters
    ----------
    G : MultiDiGraph
        A plankg graph.
    level : str, optional
        Keep only gaps whose lower document (the orphan's own document) has this level.
    under : str, optional
        Keep only gaps whose task lies in the subtree of this document or task (what
        :func:`cascade` reaches, with every task of the documents in it).
    agency : str, optional
        Keep only gaps whose task names an agency (lead or support) matching this name,
        without diacritics or case, as :func:`agency_tasks` matches.

    Raises
    ------
    UnknownNodeError
        ``under`` is not in ``G``.

    Examples
    --------
    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("kh", kind="document", label="Kế hoạch 2/KH-TTg", level="national")
    >>> G.add_node("kh#1", kind="task", label="Phát triển du lịch", document="kh")
    >>> G.add_node("kh#2", kind="task", label="Bảo vệ rừng", document="kh")
    >>> G.add_node("p", kind="document", label="Kế hoạch 7/KH-UBND", level="commune")
    >>> G.add_node("p#3", kind="task", label="Du lịch cộng đồng", document="p")
    >>> G.add_node("p#4", kind="task", label="Vệ sinh môi trường", document="p")
    >>> _ = G.add_edge("p#3", "kh#1", key="derived_from", relation="derived_from", score=0.8, status="confirmed")
    >>> found = gaps(G)  # (p cites no plan: a confirmed link, or two proposed ones, tie it to kh)
    >>> [(g.task, g.lower) for g in found.uncascaded], [g.task for g in found.orphans]
    ([('kh#2', 'p')], ['p#4'])
    """
    return _gaps(G, _Index(G), level=level, under=under, agency=agency)


def whole_graph_gaps(G: Graph) -> tuple[Gaps, list[tuple[str, Gap]]]:
    """:func:`gaps` and :func:`every_inherited_gap` of ``G``, read through one index (what
    a store keeps: building the index is a pass over the whole graph)."""
    index = _Index(G)
    return _gaps(G, index), list(_every_inherited_gap(G, index))


def _gaps(G: Graph, index: _Index, *, level: Level | str | None = None, under: str | None = None,
          agency: str | None = None) -> Gaps:
    wanted = Level(level).value if level else None
    scope = _subtree(G, index, under) if under is not None else None

    key = search_key(agency) if agency is not None else None

    def keep(gap: Gap, lower: str) -> bool:
        return (wanted is None or G.nodes[lower].get("level") == wanted) and (scope is None or gap.task in scope) \
            and (key is None or gap.concerns(key))

    uncascaded = [gap for gap in _uncascaded(G, index) if keep(gap, gap.lower or "")]
    orphans: list[Gap] = []
    weak: list[Gap] = []
    for gap in _orphans(G, index):
        if keep(gap, gap.document):
            (weak if gap.parent else orphans).append(gap)
    unpicked = [gap for gap in _unpicked(G, index) if keep(gap, gap.lower or "")]
    # Inherited gaps lie above ``under`` by nature: only the level applies to them.
    inherited = [gap for gap in inherited_gaps(G, under)
                 if (wanted is None or G.nodes[gap.lower or ""].get("level") == wanted)
                 and (key is None or gap.concerns(key))] if under else []
    return Gaps(tuple(uncascaded), tuple(orphans), tuple(unpicked), tuple(weak), tuple(inherited))


def inherited_gaps(G: Graph, under: str) -> list[Gap]:
    """What plans made for the units before the 2025 reorganisation gave the level of
    ``under``'s document, for the unit that took over their territory (a ward: its former
    city's plan), and that the document takes up nowhere; each gap carries the note
    "thành phố Lai Châu, 2022 (before the merger)". Nothing for a document of a unit that
    has no predecessor with a loaded plan.
    """
    data = _node(G, under)
    document = under if data.get("kind") == _DOCUMENT else str(data.get("document") or "")
    return _inherited(G, document, _Index(G))


def every_inherited_gap(G: Graph) -> Iterator[tuple[str, Gap]]:
    """(document, gap) of :func:`inherited_gaps` for every loaded document, in order: what a
    store keeps so that ``gaps --under`` needs no graph."""
    return _every_inherited_gap(G, _Index(G))


def _every_inherited_gap(G: Graph, index: _Index) -> Iterator[tuple[str, Gap]]:
    for document in index.loaded:
        for gap in _inherited(G, document, index):
            yield document, gap


def _inherited(G: Graph, document: str, index: _Index) -> list[Gap]:
    doc = G.nodes[document] if document in G else {}
    if not doc.get("admin_unit") or doc.get("placeholder") or not index.plans_by_unit():
        return []  # (the unit table is read only when some loaded plan has a unit)
    from plankg.graph.units import inheritance_note, unit_table

    table = unit_table()
    unit = table.get(doc["admin_unit"])
    if unit is None:
        return []
    before = {u.id: u for u in table.predecessors(unit)}
    plans = sorted(plan for u in before for plan in index.plans_by_unit().get(u, ()))
    if not plans:
        return []
    level = doc.get("level")
    out = []
    for plan in plans:
        note = inheritance_note(before[G.nodes[plan]["admin_unit"]], G.nodes[plan])
        for task in index.tasks(plan):
            if _meant_for(G, index, task, level) and document not in index.child_documents(task):
                out.append(_gap(G, task, plan, lower=document, reason="inherited", note=note))
    return out


def _uncascaded(G: Graph, index: _Index) -> Iterator[Gap]:
    meant: dict[tuple[str, str | None], bool] = {}  # a province task is asked once per ward
    for lower in index.loaded:
        rank = _rank(G, lower)
        if rank == _UNKNOWN_RANK:
            continue
        higher = {d for d in _reached_documents(G, lower) | _linked_documents(G, index, lower)
                  if d in index.is_loaded and _rank(G, d) < rank}
        level = G.nodes[lower].get("level")
        for parent_doc in sorted(higher, key=index.document_order):
            for task in index.tasks(parent_doc):
                if (task, level) not in meant:
                    meant[task, level] = _meant_for(G, index, task, level)
                if not meant[task, level]:
                    continue
                if lower not in index.child_documents(task):
                    yield _gap(G, task, parent_doc, lower=lower)


def _gap(G: Graph, task: str, document: str, **found: Any) -> Gap:
    data = G.nodes[task]
    return Gap(task, data.get("label", task), document, path=data.get("path"), lead=tuple(data.get("lead") or ()),
               support=tuple(data.get("support") or ()), **found)


def _meant_for(G: Graph, index: _Index, task: str, level: str | None) -> bool:
    """Was ``task`` meant to be taken up at ``level``? When it has no lead, when an agency it
    names (lead or support) is of that level ("UBND các xã, phường", the ward by name), or when
    its lead is a collective phrase ("các cơ quan, đơn vị, địa phương"). A task led by a Sở or
    the provincial police alone is no ward's gap."""
    agencies = [(d.get("relation"), G.nodes[a]) for a, _, d in index.out(task) if d.get("relation") in _ROLES]
    leads = [a for relation, a in agencies if relation == _LEAD]
    if not leads or level is None:
        return True
    return any(a.get("level") == level for _, a in agencies) or \
        any(a.get("agency_kind") == _COLLECTIVE for a in leads)


def _orphans(G: Graph, index: _Index) -> Iterator[Gap]:
    """Tasks without a parent (with the reason) and tasks whose parents are all weak (with the best)."""
    for document in index.loaded:
        if G.nodes[document].get("level") == Level.NATIONAL.value:
            continue
        reached = _reached_documents(G, document)
        missing = tuple(sorted(G.nodes[d].get("number") or d for d in reached if G.nodes[d].get("placeholder")))
        reason = "not-loaded" if missing and not any(d in index.is_loaded for d in reached) else "no-match"
        for task in index.tasks(document):
            links = [(parent, d) for parent, _, d in index.out(task) if _is_link(d)]
            if not links:
                yield _gap(G, task, document, reason=reason, missing=missing if reason == "not-loaded" else ())
            elif all(_is_weak(d) for _, d in links):
                parent, d = max(links, key=lambda link: (link[1].get("score") or 0.0, link[0]))
                yield _gap(G, task, document, parent=parent, score=d.get("score"))


def _is_weak(edge: dict[str, Any]) -> bool:
    return link_band(edge.get("score"), edge.get("status")) is LinkBand.WEAK


def _unpicked(G: Graph, index: _Index) -> Iterator[Gap]:
    communes: dict[str | None, list[str]] = defaultdict(list)  # by province, in loaded order
    for d in index.loaded:
        if G.nodes[d].get("level") == _COMMUNE:
            communes[G.nodes[d].get("province")].append(d)
    for document in index.loaded:
        province = G.nodes[document].get("province")
        for task in index.tasks(document):
            agencies = [G.nodes[a] for a, _, d in index.out(task) if d.get("relation") in _ROLES]
            distributive = sorted({a.get("name") or a.get("label", "") for a in agencies
                                   if a.get("agency_kind") == _DISTRIBUTIVE and a.get("level") == _COMMUNE})
            if not distributive:
                continue
            picked = index.child_documents(task)
            for commune in communes.get(province, ()):
                if commune != document and commune not in picked:
                    yield _gap(G, task, document, lower=commune,
                              agency=distributive[0])


def _reached_documents(G: Graph, document: str) -> set[str]:
    """Documents ``document`` applies or is attached to, directly or through placeholders.

    A loaded document in between ends the chain: what lies above it is its own concern.
    """
    seen: set[str] = set()
    stack = [document]
    while stack:
        for up, _key, d in out_links(G, stack.pop()):
            if d.get("relation") in _CHAIN and up not in seen and up != document:
                seen.add(up)
                if G.nodes[up].get("placeholder"):
                    stack.append(up)
    return seen


def _linked_documents(G: Graph, index: _Index, document: str) -> set[str]:
    """The documents that ``document`` implements by its links alone: those that
    :data:`LINKED_ITEMS` of its items derive from, or one through a link a person confirmed.
    One proposed link is no plan's directive: it may come from a shared title or formula
    ("Chánh Văn phòng" in a list of addressees and in a guide's sample signature), and every
    other task of that document would be counted a gap of this one."""
    linked: dict[str, set[str]] = defaultdict(set)  # by higher document, the items linked to it
    confirmed: set[str] = set()
    for item in index.items.get(document, ()):
        for parent, _child, d in index.out(item):
            if _is_link(d):
                higher = G.nodes[parent].get("document", "")
                linked[higher].add(item)
                if d.get("status") == _CONFIRMED:
                    confirmed.add(higher)
    return {higher for higher, items in linked.items() if len(items) >= LINKED_ITEMS} | confirmed


def _subtree(G: Graph, index: _Index, root: str) -> set[str]:
    """Nodes under ``root``: lower documents, their items and the items derived from them."""
    kind = _node(G, root).get("kind")
    if kind not in (_DOCUMENT, *_ITEMS):
        raise _wrong_kind(G, root, "gaps --under")
    seen = {root}
    stack = [root]
    while stack:
        node = stack.pop()
        below: list[str] = []
        if G.nodes[node].get("kind") == _DOCUMENT:
            below += [u for u, _ in _lower_documents(G, node)] + list(index.items.get(node, ()))
        else:
            children = [u for u, _ in _derived_children(G, node)]
            below += children
            if kind == _DOCUMENT:  # a document's subtree holds the whole documents that derive from it
                below += [G.nodes[c].get("document", "") for c in children]
        for n in below:
            if n in G and n not in seen:
                seen.add(n)
                stack.append(n)
    return seen


# --- agencies, search ----------------------------------------------------------------

@dataclass(frozen=True)
class AgencyTask:
    """A task an agency leads or supports."""

    agency: str
    agency_id: str
    role: str
    task: str
    label: str
    text: str | None
    document: str
    deadline: str | None
    deadline_end: str | None
    merged_into: str | None = None  # assigned before the agency merged into this body
    note: str | None = None


def agency_tasks(G: Graph, name: str) -> list[AgencyTask]:
    """Tasks that agencies whose name contains ``name`` lead or support, across documents.

    ``name`` is matched without diacritics or case against canonical agency names; every
    matching agency is included, and so is every agency that merged in 2025 into a body
    whose name matches (:mod:`plankg.graph.mergers`), its tasks marked with the merger.

    Examples
    --------
    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("p#3", kind="task", label="Du lịch cộng đồng", document="p", deadline_text="Năm 2026")
    >>> G.add_node("agency:ca", kind="agency", label="Công an phường Đoàn Kết", name="Công an phường Đoàn Kết")
    >>> _ = G.add_edge("p#3", "agency:ca", key="support", relation="support")
    >>> [(t.agency, t.role, t.task, t.deadline) for t in agency_tasks(G, "cong an")]
    [('Công an phường Đoàn Kết', 'support', 'p#3', 'Năm 2026')]
    """
    from plankg.graph.mergers import merged_into

    key = search_key(name)
    agencies = [(n, d) for n, d in G.nodes(data=True) if d.get("kind") == NodeKind.AGENCY.value
                and (key in search_key(d.get("name") or "") or merged_into(d, key))]
    edges = [(task, agency, d["relation"]) for agency, _ in agencies for task, _, d in G.in_edges(agency, data=True)
             if d.get("relation") in _ROLES]
    return agency_rows(key, agencies, edges, G.nodes)


def agency_rows(key: str, agencies: Iterable[tuple[str, dict[str, Any]]], edges: Iterable[tuple[str, str, str]],
                tasks: Mapping[str, dict[str, Any]]) -> list[AgencyTask]:
    """:func:`agency_tasks` of the ``agencies`` (id, attributes) that match ``key`` (a
    :func:`~plankg.normalize.search_key`) or merged into a body that does, given their lead and
    support ``edges`` (task, agency, relation) and the ``tasks``' attributes by id."""
    from plankg.graph.mergers import merged_into

    found: dict[str, tuple[dict[str, Any], str | None, str | None]] = {}
    for agency, data in agencies:
        merged, note = None, None
        if key not in search_key(data.get("name") or ""):
            into = merged_into(data, key)
            if into is None:
                continue
            merged = into[0]
            note = (_("before the merger into {body} on {date} ({source})") if into[1].whole else
                    _("before part of its work went to {body} on {date} ({source})")).format(
                body=merged, date=into[1].date.strftime("%d/%m/%Y"), source=into[1].short_source)
        found[agency] = (data, merged, note)
    rows = []
    for task, agency, relation in edges:
        if agency not in found:
            continue
        data, merged, note = found[agency]
        t = tasks[task]
        rows.append(AgencyTask(
            agency=data["name"], agency_id=agency, role=relation, task=task, label=t.get("label", task),
            text=t.get("text"), document=t.get("document", ""), deadline=t.get("deadline_text"),
            deadline_end=t.get("deadline_end"), merged_into=merged, note=note,
        ))
    rows.sort(key=lambda r: (r.merged_into is not None, r.agency, r.agency_id, r.role != _LEAD,
                             reading_order(r.task, tasks[r.task])))
    return rows


@dataclass(frozen=True)
class Hit:
    """A search result: how many query words it matched and whether it holds the phrase."""

    id: str
    kind: str
    label: str
    text: str | None
    document: str | None
    matched: int
    phrase: bool
    exact: bool = False  # every query word matched with its diacritics as typed


_WORDS = re.compile(r"\w+")
#: The order of a search's hits of equal score: documents, tasks, targets, agencies, the rest.
KIND_ORDER = {NodeKind.DOCUMENT.value: 0, NodeKind.TASK.value: 1, NodeKind.TARGET.value: 2,
               NodeKind.AGENCY.value: 3}


def search(G: Graph, text: str, *, kinds: Iterable[str] | None = None, limit: int | None = 20) -> list[Hit]:
    """Tasks, targets, documents and agencies matching ``text``, without regard to diacritics.

    Tasks and targets are searched by text, documents by title, number and issuer, agencies
    by name. Results are ranked by the number of query words matched, then by whether the
    whole query appears as a phrase, then by whether its words match with the diacritics
    typed ("đầu tư" before "đấu tư"; a query without diacritics ranks both alike), then by
    kind and id.

    Parameters
    ----------
    G : MultiDiGraph
        A plankg graph.
    text : str
        Query words, with or without Vietnamese diacritics.
    kinds : iterable of str, optional
        Node kinds to search (default: document, task, target, agency).
    limit : int or None
        At most this many hits (None: all).

    Examples
    --------
    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("a", kind="task", label="…", text="Thu hút đầu tư vào du lịch")
    >>> G.add_node("b", kind="task", label="…", text="Đầu tư hạ tầng")
    >>> [(h.id, h.matched, h.phrase) for h in search(G, "thu hut dau tu")]
    [('a', 4, True), ('b', 2, False)]
    """
    query = SearchQuery.of(text)
    if not query.words:
        return []
    wanted = set(kinds) if kinds is not None else set(KIND_ORDER)
    hits = []
    for node, data in G.nodes(data=True):
        kind = data.get("kind", "")
        if kind not in wanted:
            continue
        score = query.score([fold(f) for f in search_texts(data) if f])
        if score is not None:
            hits.append(hit(node, data, score))
    hits.sort(key=hit_order)
    return hits[:limit] if limit is not None else hits


@dataclass(frozen=True)
class SearchQuery:
    """A search's words (folded, without diacritics, each once), the whole phrase, and the
    words as typed (with their diacritics)."""

    words: tuple[str, ...]
    phrase: str
    typed: frozenset[str]

    @classmethod
    def of(cls, text: str) -> SearchQuery:
        return cls(tuple(search_words(text)), " ".join(_WORDS.findall(search_key(text))),
                   frozenset(_WORDS.findall(fold(text))))

    def score(self, texts: list[str]) -> tuple[int, bool, bool] | None:
        """(words matched, phrase held, matched as typed) of a node's texts, each already
        :func:`~plankg.normalize.fold`-ed; None when no word matches."""
        fields = [" ".join(_WORDS.findall(strip_accents(t))) for t in texts]
        found = {w for f in fields for w in f.split()}
        matched = sum(1 for w in self.words if w in found)
        if not matched:
            return None
        exact = self.typed <= {w for t in texts for w in _WORDS.findall(t)}
        return matched, any(f" {self.phrase} " in f" {f} " for f in fields), exact


def hit(node: str, data: dict[str, Any], score: tuple[int, bool, bool]) -> Hit:
    return Hit(node, data.get("kind", ""), data.get("label", node), _text(data), data.get("document"), *score)


def hit_order(h: Hit) -> tuple[Any, ...]:
    return (-h.matched, not h.phrase, not h.exact, KIND_ORDER.get(h.kind, 9), h.id)


def search_words(text: str) -> list[str]:
    """The distinct words :func:`search` looks for in ``text`` (accents and case folded)."""
    return list(dict.fromkeys(_WORDS.findall(search_key(text))))


def search_texts(data: dict[str, Any]) -> list[str | None]:
    """The texts :func:`search` reads of a node: a task's or target's text, a document's
    title, number and issuer, an agency's name."""
    kind = data.get("kind")
    if kind == _DOCUMENT:
        return [data.get("title"), data.get("number"), data.get("issuer")]
    if kind == NodeKind.AGENCY.value:
        return [data.get("name") or data.get("label")]
    return [data.get("text")]


# --- show, stats, deadlines ------------------------------------------------------------

def show(G: Graph, node_id: str) -> dict[str, Any]:
    """A node's attributes and its edges, grouped by direction and relation.

    Each edge entry names the other node (``id``, ``kind``, ``label``) and carries the
    edge's own attributes (``score``, ``status``, ``evidence`` of a link…).

    Examples
    --------
    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("p#3", kind="task", label="Du lịch cộng đồng")
    >>> G.add_node("p", kind="document", label="Kế hoạch 7/KH-UBND")
    >>> _ = G.add_edge("p#3", "p", key="part_of", relation="part_of")
    >>> show(G, "p#3")["out"]
    {'part_of': [{'id': 'p', 'kind': 'document', 'label': 'Kế hoạch 7/KH-UBND'}]}
    """
    data = _node(G, node_id)

    def entries(edges: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for other, d in edges:
            extra = {k: v for k, v in sorted(d.items()) if k != "relation"}
            grouped[d.get("relation", "")].append(
                {"id": other, "kind": G.nodes[other].get("kind"), "label": G.nodes[other].get("label"), **extra})
        return {relation: sorted(grouped[relation], key=lambda e: str(e["id"])) for relation in sorted(grouped)}

    return {
        "id": node_id,
        "attributes": dict(sorted(data.items())),
        "out": entries((v, d) for _, v, d in G.out_edges(node_id, data=True)),
        "in": entries((u, d) for u, _, d in G.in_edges(node_id, data=True)),
    }


def stats(G: Graph) -> dict[str, Any]:
    """Counts of nodes per kind, edges per relation, documents per level and links per status.

    Examples
    --------
    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("kh", kind="document", label="KH", level="national")
    >>> G.add_node("qd", kind="document", label="QĐ", level="national", placeholder=True)
    >>> _ = G.add_edge("kh", "qd", key="applies", relation="applies")
    >>> stats(G)["documents"]
    {'national': {'loaded': 1, 'placeholder': 1}}
    """
    relations: Counter[str] = Counter()
    statuses: Counter[str | None] = Counter()
    for _source, _target, d in edges_with_data(G):  # one pass over the edges for both counts
        relation = d.get("relation", "")
        relations[relation] += 1
        if relation == _DERIVED:
            statuses[d.get("status")] += 1
    found = stats_of(Counter(d.get("kind", "") for _, d in G.nodes(data=True)), relations,
                     (d for _, d in G.nodes(data=True) if d.get("kind") == _DOCUMENT), statuses)
    found["units"] = unit_counts(iter(G.nodes(data=True)))
    return found


def unit_counts(nodes: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Jurisdictions resolved to an official unit, and the names that were not
    (:func:`plankg.graph.units.annotate_units`).

    >>> unit_counts([("d", {"jurisdiction": "phường Đoàn Kết", "admin_unit": "unit:03388"}),
    ...              ("a", {"jurisdiction": "xã Việt Nam", "admin_unit": None})])
    {'resolved': 1, 'not_found': 1, 'not_found_names': ['xã Việt Nam']}
    """
    from plankg.graph.units import units_not_found

    nodes = [(n, d) for n, d in nodes if d.get("jurisdiction") and "admin_unit" in d]
    names = units_not_found(nodes)
    return {"resolved": sum(1 for _, d in nodes if d["admin_unit"]), "not_found": len(names), "not_found_names": names}


def stats_of(nodes: Mapping[str, int], edges: Mapping[str, int], document_nodes: Iterable[dict[str, Any]],
             links: Mapping[str | None, int]) -> dict[str, Any]:
    """The :func:`stats` answer from its counts (node kinds, edge relations, link statuses)
    and the document nodes: the one shape for a graph in memory and for the store."""
    documents: dict[str, Counter[str]] = defaultdict(Counter)
    for d in document_nodes:
        documents[d.get("level") or "unknown"]["placeholder" if d.get("placeholder") else "loaded"] += 1
    order = {level.value: level.rank for level in Level}
    return {
        "nodes": dict(sorted(nodes.items())),
        "edges": dict(sorted(edges.items())),
        "documents": {level: {k: documents[level][k] for k in ("loaded", "placeholder")}
                      for level in sorted(documents, key=lambda lv: (order.get(lv, 9), lv))},
        "links": {status.value: links.get(status.value, 0) for status in LinkStatus},
    }


@dataclass(frozen=True)
class DeadlineEntry:
    """A task with its deadline; ``end`` is None for work without a final date."""

    task: str
    label: str
    text: str | None
    document: str
    lead: tuple[str, ...]
    deadline: str
    start: str | None
    end: str | None
    continuous: bool
    recurrence: str | None

    @property
    def is_ongoing(self) -> bool:
        """Continuous or recurring work, or a deadline without a final date."""
        return self.continuous or self.recurrence is not None or self.end is None


def deadlines(G: Graph, *, before: dt.date | None = None) -> list[DeadlineEntry]:
    """Tasks with a deadline: dated ones by end date, then ongoing ones (continuous, recurring, undated).

    Parameters
    ----------
    G : MultiDiGraph
        A plankg graph.
    before : date, optional
        Keep only tasks due on or before this day (and the ongoing ones): inclusive.

    Examples
    --------
    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("a", kind="task", label="A", document="p", deadline_text="Quý III/2026", deadline_end="2026-09-30")
    >>> G.add_node("b", kind="task", label="B", document="p", deadline_text="Tháng 5/2026", deadline_end="2026-05-31")
    >>> G.add_node("c", kind="task", label="C", document="p", deadline_text="Thường xuyên", deadline_continuous=True)
    >>> [e.task for e in deadlines(G)], [e.task for e in deadlines(G, before=dt.date(2026, 5, 31))]
    (['b', 'a', 'c'], ['b', 'c'])
    """
    return deadline_entries(((n, d) for n, d in G.nodes(data=True)), before=before)


def deadline_entries(nodes: Iterable[tuple[str, dict[str, Any]]], *, before: dt.date | None = None,
                     ) -> list[DeadlineEntry]:
    """:func:`deadlines` of ``nodes`` (id, attributes), without a graph."""
    limit = before.isoformat() if before else None
    entries = []
    order = {}
    for node, d in nodes:
        if d.get("kind") != NodeKind.TASK.value or not d.get("deadline_text"):
            continue
        end = d.get("deadline_end")
        if limit is not None and end is not None and end > limit:
            continue
        order[node] = reading_order(node, d)
        entries.append(DeadlineEntry(
            task=node, label=d.get("label", node), text=d.get("text"), document=d.get("document", ""),
            lead=tuple(d.get("lead") or ()), deadline=d["deadline_text"], start=d.get("deadline_start"), end=end,
            continuous=bool(d.get("deadline_continuous")), recurrence=d.get("deadline_recurrence"),
        ))
    entries.sort(key=lambda e: (e.is_ongoing, e.end or "", order[e.task]))
    return entries


# --- helpers -------------------------------------------------------------------------

class _Index:
    """Loaded documents, items per document and a reading order, computed once per query."""

    def __init__(self, G: Graph) -> None:
        self.G = G
        self.loaded = sorted(n for n, d in G.nodes(data=True)
                             if d.get("kind") == _DOCUMENT and not d.get("placeholder"))
        self.is_loaded = frozenset(self.loaded)
        items: dict[str, list[str]] = defaultdict(list)
        for n, d in G.nodes(data=True):
            if d.get("kind") in _ITEMS and d.get("document") is not None:
                items[d["document"]].append(n)
        self.items = {doc: sorted(nodes, key=self.order) for doc, nodes in items.items()}
        self._tasks: dict[str, list[str]] = {}
        self._plans: dict[str, list[str]] | None = None
        self._child_documents: dict[str, set[str | None]] = {}
        self._out: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}

    def order(self, node: str) -> tuple[str, int, str]:
        """Document, then source line, then id: the order a reader meets items in."""
        return reading_order(node, self.G.nodes[node])

    def document_order(self, node: str) -> tuple[int, str]:
        return (_rank(self.G, node), node)

    def plans_by_unit(self) -> dict[str, list[str]]:
        """The loaded documents of each administrative unit id."""
        if self._plans is None:
            self._plans = defaultdict(list)
            for document in self.loaded:
                if self.G.nodes[document].get("admin_unit"):
                    self._plans[self.G.nodes[document]["admin_unit"]].append(document)
        return self._plans

    def out(self, node: str) -> list[tuple[str, str, dict[str, Any]]]:
        """:func:`out_links` of ``node``, read once for the several passes over the tasks."""
        found = self._out.get(node)
        if found is None:
            found = self._out[node] = out_links(self.G, node)
        return found

    def child_documents(self, item: str) -> set[str | None]:
        """The documents of the items derived from ``item`` (links not rejected), asked of a
        higher task once for each lower document."""
        found = self._child_documents.get(item)
        if found is None:
            nodes = self.G.nodes
            found = self._child_documents[item] = {nodes[child].get("document")
                                                   for child, _, d in in_links(self.G, item) if _is_link(d)}
        return found

    def tasks(self, document: str) -> list[str]:
        if document not in self._tasks:
            self._tasks[document] = [n for n in self.items.get(document, ()) if self.G.nodes[n].get("kind") == _TASK]
        return self._tasks[document]


def reading_order(node: str, data: dict[str, Any]) -> tuple[str, int, str]:
    """An item's document, then its source line, then its id: the order a reader meets items in."""
    lines = data.get("lines") or [0]
    return (data.get("document") or "", lines[0], node)


def _node(G: Graph, node_id: str) -> dict[str, Any]:
    if node_id not in G:
        raise UnknownNodeError(node_id)
    data: dict[str, Any] = G.nodes[node_id]
    return data


def _wrong_kind(G: Graph, node_id: str, query: str) -> PlankgError:
    return wrong_kind(node_id, G.nodes[node_id].get("kind", "node"), query)


def wrong_kind(node_id: str, kind: str, query: str) -> PlankgError:
    """The error of ``query`` given ``node_id``, a ``kind``, where it needs a document or an item."""
    if kind[:1] in "aeiou":
        message = _("{query} needs a document, task or target id; {node_id!r} is an {kind}")
    else:
        message = _("{query} needs a document, task or target id; {node_id!r} is a {kind}")
    return PlankgError(message.format(query=query, node_id=node_id, kind=term(kind)))


def _is_link(edge: dict[str, Any]) -> bool:
    return edge.get("relation") == _DERIVED and edge.get("status") != _REJECTED


_UNKNOWN_RANK = 9


def _rank(G: Graph, node: str) -> int:
    """Level rank of a document, or of an item's document; below every level when unknown."""
    level = _level(G, node)
    return Level(level).rank if level else _UNKNOWN_RANK


def _level(G: Graph, node: str) -> str | None:
    data = G.nodes[node]
    if data.get("kind") != _DOCUMENT and data.get("document") in G:
        data = G.nodes[data["document"]]
    level = data.get("level")
    return str(level) if level else None


def _text(data: dict[str, Any]) -> str | None:
    text = data.get("title") if data.get("kind") == _DOCUMENT else data.get("text")
    return str(text) if text is not None else None
