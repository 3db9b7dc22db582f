"""Build the knowledge graph from document records.

Node kinds and attributes (every node has ``id``, ``kind``, ``label``):

* ``document``: number, type, title, issuer, level, jurisdiction, province, date, year,
  place, placeholder (True for a cited document that was not loaded), source (loaded only);
* ``section``/``task``: text, document, path ("II/1/a"), part; tasks add lead, support
  (canonical agency names), deadline_text/start/end/continuous/recurrence and product;
* ``target``: text, document, path, indicator, value, unit, comparator, year;
* ``agency``: name, agency_kind (specific/collective/distributive), jurisdiction, level;
  merged_provinces for a body of a province merged in 2025 (:mod:`plankg.graph.mergers`).

Documents and agencies with a jurisdiction add ``admin_unit``, ``unit_code`` and ``unit_name``: the
official administrative unit (:mod:`plankg.graph.units`), None when the list lacks the name.

Edges carry ``relation`` (see :class:`plankg.model.Relation`); ``derived_from`` edges add
score, method, status and evidence (:mod:`plankg.graph.link`). A citation of a document
that is not loaded creates a placeholder node so chains run through it; when the document
is loaded later it replaces the placeholder (matched by number, issuer and year).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import networkx as nx

from plankg.model import Agency, AgencyKind, Citation, DocumentRecord, Level, NodeKind, Relation
from plankg.normalize import NOT_IN_A_BODY_NAME, fold, slugify

if TYPE_CHECKING:
    Graph: TypeAlias = nx.MultiDiGraph[str]
else:
    Graph = nx.MultiDiGraph


def build_graph(records: Iterable[DocumentRecord], *, curation: Any = None, link: bool = True) -> Graph:
    """Build the graph of ``records`` and, unless ``link`` is False, infer task lineage.

    >>> from plankg.loaders import load_text
    >>> text = "Số: 5/KH-UBND\\nKẾ HOẠCH\\nThực hiện Kế hoạch số 9/KH-UBND của UBND tỉnh Hà Giang\\n1. Sở Y tế chủ trì."
    >>> G = build_graph([load_text(text, source="a.txt")], link=False)
    >>> sorted(d["kind"] for _, d in G.nodes(data=True))
    ['agency', 'agency', 'document', 'document', 'task']
    """
    G = Graph()
    records = list(records)
    # Documents bound in one file (a decision and its attached plan) are documents of their own.
    ordered = sorted((part for r in records for part in r.with_attachments()), key=lambda r: r.document.id)
    index = _DocumentIndex()
    insert = _Insert(G)
    for record in ordered:
        _add_record(insert, record)
        index.add_loaded(G, record)
    for record in ordered:
        for citation in record.citations:
            _add_citation(G, index, record, citation)
    for record in records:
        _add_bindings(G, record)
    _add_placeholder_issuers(G)
    _add_agency_hierarchy(G)
    from plankg.graph.units import annotate_units

    annotate_units(G)
    from plankg.graph.mergers import mark_merged_provinces

    mark_merged_provinces(G)
    if link:
        from plankg.graph.link import link_graph

        link_graph(G, curation=curation, unlinked=True)
    return G


# --- records ----------------------------------------------------------------------------

# Enum values read in the per-node loops (an enum member's .value is a descriptor call).
_DOCUMENT, _SECTION, _TASK, _TARGET = (k.value for k in (NodeKind.DOCUMENT, NodeKind.SECTION, NodeKind.TASK,
                                                          NodeKind.TARGET))
_ISSUED_BY, _PART_OF, _LEAD, _SUPPORT = (r.value for r in (Relation.ISSUED_BY, Relation.PART_OF, Relation.LEAD,
                                                           Relation.SUPPORT))
_AGENCY, _SPECIFIC = NodeKind.AGENCY.value, AgencyKind.SPECIFIC.value
_BELOW_PROVINCE = (Level.DISTRICT.value, Level.COMMUNE.value)


class _Insert:
    """Adds nodes and edges to a graph being built as ``G.add_node(n, **attrs)`` and
    ``G.add_edge(u, v, key=key, **attrs)`` do, filling networkx's own dictionaries without
    their per-call work (half the graph stage of a national build was those calls). For a
    graph of plain dictionaries (networkx's default factories) whose cache is empty, as
    while it is built; every edge is given its key, and no id is None.
    """

    def __init__(self, G: Graph) -> None:
        assert all(getattr(G, f"{name}_factory") is dict for name in (
            "node_dict", "node_attr_dict", "adjlist_outer_dict", "adjlist_inner_dict", "edge_key_dict",
            "edge_attr_dict"))
        assert not getattr(G, "__networkx_cache__", None)
        self.data: dict[str, dict[str, Any]] = G._node  # type: ignore[attr-defined]
        self.succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = G._succ  # type: ignore[attr-defined]
        self.pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = G._pred  # type: ignore[attr-defined]
        self.G = G
        self.agencies: dict[tuple[Agency, str | None], str] = {}  # (agency, province): its node

    def node(self, n: str, attrs: dict[str, Any]) -> None:
        """Add ``n`` with ``attrs`` (taken as its attribute dictionary when ``n`` is new)."""
        data = self.data.get(n)
        if data is None:
            self.succ[n], self.pred[n], self.data[n] = {}, {}, attrs
        else:
            data.update(attrs)

    def edge(self, u: str, v: str, key: str, attrs: dict[str, Any]) -> None:
        for n in (u, v):
            if n not in self.data:
                self.node(n, {})
        keyed = self.succ[u].get(v)
        if keyed is None:
            keyed = self.succ[u][v] = self.pred[v][u] = {}
        data = keyed.get(key)
        if data is None:
            keyed[key] = attrs
        else:
            data.update(attrs)

    def agency(self, agency: Agency, province: str | None) -> str:
        """The node of ``agency`` as named in a document of ``province`` (see _add_agency)."""
        node = self.agencies.get((agency, province))
        if node is None:
            node = self.agencies[(agency, province)] = _add_agency(self.G, agency, province)
        return node


def _add_record(insert: _Insert, record: DocumentRecord) -> None:
    d = record.document
    doc_id = d.id
    insert.node(doc_id, dict(
        id=doc_id, kind=_DOCUMENT, label=_document_label(d.type, d.number, d.title),
        number=d.number, type=d.type, title=d.title, issuer=d.issuer,
        level=d.level.value if d.level else None, jurisdiction=d.jurisdiction, province=d.province,
        date=d.date.isoformat() if d.date else None, year=d.year, place=d.place,
        placeholder=False, source=d.source,
    ))
    if d.issuer:
        issuer = Agency(d.issuer, d.issuer, AgencyKind.SPECIFIC, d.jurisdiction, d.level)
        insert.edge(doc_id, insert.agency(issuer, d.province), _ISSUED_BY, {"relation": _ISSUED_BY})
    tasks = {t.id: t for t in record.tasks}
    for section in record.sections:
        path = "/".join(section.path)
        task = tasks.get(section.id)
        # (Literals, keys in one order for a section and a task: a dict(...) call costs more;
        # an enum's _value_ is read straight, .value through a descriptor.)
        attrs: dict[str, Any]
        if task is None:
            attrs = {"id": section.id, "kind": _SECTION, "label": _short(section.text) or path, "text": section.text,
                     "document": doc_id, "path": path, "part": section.part._value_, "lines": list(section.lines)}
        else:
            dl = task.deadline
            attrs = {"id": section.id, "kind": _TASK, "label": _short(task.text), "text": task.text,
                     "document": doc_id, "path": path, "part": section.part._value_, "lines": list(section.lines),
                     "lead": [a.name for a in task.lead], "support": [a.name for a in task.support],
                     "product": task.product, **(_deadline_attrs(dl) if dl else _NO_DEADLINE)}
        insert.node(section.id, attrs)
        parent = _parent_id(doc_id, section.path)
        insert.edge(section.id, parent if parent in insert.data else doc_id, _PART_OF, {"relation": _PART_OF})
        if task is not None:
            for relation, agencies in ((_LEAD, task.lead), (_SUPPORT, task.support)):
                for agency in agencies:
                    insert.edge(task.id, insert.agency(agency, d.province), relation, {"relation": relation})
    for target in record.targets:
        value = list(target.value) if isinstance(target.value, tuple) else target.value
        insert.node(target.id, dict(
            id=target.id, kind=_TARGET, label=_short(target.text), text=target.text, document=doc_id,
            path="/".join(target.path), indicator=target.indicator, value=value, unit=target.unit,
            comparator=target.comparator, year=target.year, lines=[target.line]))
        owner = f"{doc_id}#{'/'.join(target.path)}"
        insert.edge(target.id, owner if owner in insert.data else doc_id, _PART_OF, {"relation": _PART_OF})


def _deadline_attrs(dl: Any) -> dict[str, Any]:
    return {
        "deadline_text": dl.text,
        "deadline_start": dl.start.isoformat() if dl.start else None,
        "deadline_end": dl.end.isoformat() if dl.end else None,
        "deadline_continuous": bool(dl.continuous),
        "deadline_recurrence": dl.recurrence,
    }


_NO_DEADLINE: dict[str, Any] = {"deadline_text": None, "deadline_start": None, "deadline_end": None,
                                "deadline_continuous": False, "deadline_recurrence": None}


def _parent_id(doc_id: str, path: tuple[str, ...]) -> str:
    return f"{doc_id}#{'/'.join(path[:-1])}" if len(path) > 1 else doc_id


def _document_label(doc_type: str | None, number: str | None, title: str | None) -> str:
    if number:
        return f"{doc_type or 'Văn bản'} {number}"
    return _short(f"{doc_type or 'Văn bản'}: {title}" if title else doc_type or "Văn bản")


def _short(text: str | None, width: int = 80) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# --- agencies ---------------------------------------------------------------------------

def agency_id(name: str, kind: AgencyKind | str = AgencyKind.SPECIFIC, jurisdiction: str | None = None,
              *, level: Level | str | None = None, province: str | None = None) -> str:
    """Stable node id of an agency; collective names are scoped by jurisdiction, and
    agencies below the province by their province (each has its "phường Trần Phú").

    >>> agency_id("Sở Tài chính tỉnh Lai Châu")
    'agency:so-tai-chinh-tinh-lai-chau'
    >>> agency_id("các sở, ngành có liên quan", "collective", "tỉnh Lai Châu")
    'agency:cac-so-nganh-co-lien-quan@tinh-lai-chau'
    >>> agency_id("Công an phường Đoàn Kết", level="commune", province="tỉnh Lai Châu")
    'agency:tinh-lai-chau/cong-an-phuong-doan-ket'
    """
    base = f"agency:{slugify(name)}"
    if str(level) in _BELOW_PROVINCE and province:
        base = f"agency:{slugify(province)}/{slugify(name)}"
    if str(kind) != _SPECIFIC and jurisdiction and jurisdiction != province:
        base += f"@{slugify(jurisdiction)}"
    return base


def _add_agency(G: Graph, agency: Agency, province: str | None) -> str:
    node = agency_id(agency.name, agency.kind, agency.jurisdiction, level=agency.level, province=province)
    if node not in G:
        label = agency.name
        if agency.kind is not AgencyKind.SPECIFIC and agency.jurisdiction:
            label = f"{agency.name} ({agency.jurisdiction})"
        G.add_node(node, id=node, kind=_AGENCY, label=label, name=agency.name,
                   agency_kind=agency.kind.value, jurisdiction=agency.jurisdiction,
                   level=agency.level.value if agency.level else None, province=province)
    elif province and not G.nodes[node].get("province"):
        G.nodes[node]["province"] = province
    return node


# Which body an agency belongs to, from its name: (pattern, parent template). Each pattern
# spans the whole name (see parent_agency; tests/test_build.py checks it).
_PARENTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rx), parent) for rx, parent in (
        (r"^(?:Văn phòng|Ban (?!Thường vụ)\S+(?: \S+)?) (Tỉnh ủy|Thành ủy|Huyện ủy) (?P<place>.+)$", r"\1 \g<place>"),
        (r"^Ban Thường vụ (Tỉnh ủy|Thành ủy|Huyện ủy) (?P<place>.+)$", r"\1 \g<place>"),
        (r"^(?:Đảng đoàn HĐND|Ban cán sự đảng UBND) tỉnh (?P<place>.+)$", r"Tỉnh ủy \g<place>"),
        (r"^(?:Công an|Ban Chỉ huy [Qq]uân sự) (?:phường|xã|thị trấn) .+$", "{province_police}"),
        (r"^(?:Mặt trận|Ủy ban Mặt trận|Liên đoàn|Hội|Đoàn|Tỉnh đoàn)\b.*$", "{none}"),
        (r"^(?!UBND|HĐND|Tỉnh ủy|Công an tỉnh|Bộ Chỉ huy)\S.* "
         r"(?P<unit>(?:phường|" + NOT_IN_A_BODY_NAME + r"xã|thị trấn) .+)$", r"UBND \g<unit>"),
        (r"^(?!UBND|HĐND|Tỉnh ủy)\S.* (?P<unit>tỉnh .+)$", r"UBND \g<unit>"),
        (r"^UBND (?:phường|xã|thị trấn|huyện|thị xã|quận|thành phố) .+$", "{province_ubnd}"),
        (r"^(?:Thành ủy|Huyện ủy|Thị ủy) .+$", "{province_party}"),
        (r"^Bộ (?!Chính trị|Chỉ huy)\S.*$", "Chính phủ"),
    )
)


@functools.lru_cache(maxsize=65_536)
def parent_agency(name: str, province: str | None) -> str | None:
    """Canonical name of the body an agency belongs to, or None.

    >>> parent_agency("Sở Tài chính tỉnh Lai Châu", None)
    'UBND tỉnh Lai Châu'
    >>> parent_agency("Phòng Văn hóa - Xã hội phường Đoàn Kết", "tỉnh Lai Châu")
    'UBND phường Đoàn Kết'
    >>> parent_agency("UBND phường Đoàn Kết", "tỉnh Lai Châu")
    'UBND tỉnh Lai Châu'
    >>> parent_agency("Ban Tuyên giáo Tỉnh ủy Điện Biên", None)
    'Tỉnh ủy Điện Biên'
    """
    place = province.split(" ", 1)[1] if province and province.startswith("tỉnh ") else None
    for rx, template in _PARENTS:
        m = rx.match(name)
        if m is None:
            continue
        if template.startswith("{"):
            if place is None or template == "{none}":
                return None
            kind = template.strip("{}")
            if kind == "province_police":
                return ("Công an tỉnh " if name.startswith("Công an") else "Bộ Chỉ huy Quân sự tỉnh ") + place
            if kind == "province_ubnd":
                return f"UBND tỉnh {place}"
            return f"Tỉnh ủy {place}"
        # (Every pattern spans the whole name: its one substitution is the expansion, with the
        # template parsed once, where Match.expand parses it at every call.)
        parent = rx.sub(template, name, count=1)
        return parent if parent != name else None
    return None


def _add_agency_hierarchy(G: Graph) -> None:
    pending = [n for n, d in G.nodes(data=True) if d["kind"] == _AGENCY
               and d["agency_kind"] == _SPECIFIC]
    seen: set[str] = set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        data = G.nodes[node]
        parent_name = parent_agency(data["name"], data.get("province"))
        if parent_name is None:
            continue
        from plankg.loaders.agencies import unit_of

        unit = unit_of(parent_name)
        parent = agency_id(parent_name, level=unit[0] if unit else None, province=data.get("province"))
        if parent not in G:
            G.add_node(parent, id=parent, kind=_AGENCY, label=parent_name, name=parent_name,
                       agency_kind=_SPECIFIC, jurisdiction=unit[1] if unit else None,
                       level=unit[0].value if unit else (Level.NATIONAL.value if parent_name == "Chính phủ" else None),
                       province=data.get("province"))
        if not G.has_edge(node, parent, key=Relation.SUB_ORGANIZATION_OF.value):
            G.add_edge(node, parent, key=Relation.SUB_ORGANIZATION_OF.value,
                       relation=Relation.SUB_ORGANIZATION_OF.value)
        pending.append(parent)


# --- citations and placeholders -----------------------------------------------------

@dataclass
class _Known:
    node: str
    number: str
    issuer: str | None
    year: int | None


class _DocumentIndex:
    """Documents by number, so a citation finds the loaded document or one placeholder."""

    def __init__(self) -> None:
        self.by_number: dict[str, list[_Known]] = {}

    def add_loaded(self, G: Graph, record: DocumentRecord) -> None:
        d = record.document
        if d.number:
            self.by_number.setdefault(d.number, []).append(_Known(d.id, d.number, d.issuer, d.year))

    def resolve(self, G: Graph, citation: Citation, province: str | None) -> str:
        year = citation.date.year if citation.date else None
        for known in self.by_number.get(citation.number, []):
            same_year = known.year is None or year is None or known.year == year
            if same_year and _compatible(known.issuer, citation.issuer):
                node = G.nodes[known.node]
                if node.get("placeholder"):
                    _fill_placeholder(node, citation)
                return known.node
        from plankg.loaders.document import document_id  # the loaders are not needed to read a graph

        node_id = document_id(citation.issuer, citation.number, year, level=citation.level, province=province)
        while node_id in G:  # an unrelated document of the same slug (different issuer spelling)
            node_id += "~"
        G.add_node(node_id, id=node_id, kind=_DOCUMENT,
                   label=f"{citation.type or 'Văn bản'} {citation.number}", number=citation.number,
                   type=citation.type, title=citation.subject, issuer=citation.issuer,
                   level=citation.level.value if citation.level else None, jurisdiction=None, province=None,
                   date=citation.date.isoformat() if citation.date else None, year=year, place=None,
                   placeholder=True)
        self.by_number.setdefault(citation.number, []).append(_Known(node_id, citation.number, citation.issuer, year))
        return node_id


def _add_placeholder_issuers(G: Graph) -> None:
    """A cited document's issuer, named by its citations, is an agency node like any other:
    the one agency of that name when the graph has it, else a new one. So the graph, its
    RDF and every command know the same agencies."""
    by_name: dict[str, list[str]] = {}
    for node, data in G.nodes(data=True):
        if data.get("kind") == _AGENCY:
            by_name.setdefault(data["name"], []).append(node)
    placeholders = [(n, d) for n, d in G.nodes(data=True)
                    if d.get("kind") == _DOCUMENT and d.get("placeholder") and d.get("issuer")]
    for node, data in placeholders:
        name = data["issuer"]
        same = by_name.get(name, [])
        if len(same) == 1:
            agency = same[0]
        else:
            level = data.get("level")
            agency = _add_agency(G, Agency(name, name, AgencyKind.SPECIFIC, None, Level(level) if level else None),
                                 None)
            if not same:
                by_name[name] = [agency]
        G.add_edge(node, agency, key=_ISSUED_BY, relation=_ISSUED_BY)


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or fold(a) == fold(b)


def _fill_placeholder(node: dict[str, Any], citation: Citation) -> None:
    for key, value in (("issuer", citation.issuer), ("title", citation.subject), ("type", citation.type),
                       ("date", citation.date.isoformat() if citation.date else None),
                       ("year", citation.date.year if citation.date else None),
                       ("level", citation.level.value if citation.level else None)):
        if value and not node.get(key):
            node[key] = value
    if citation.subject and len(citation.subject) > len(node.get("title") or ""):
        node["title"] = citation.subject


def _add_bindings(G: Graph, record: DocumentRecord) -> None:
    """Tie each document bound in a file to the one before it, unless its own "(Kèm theo …)"
    citation already ties it to a document of the file: an appendix of an unnumbered draft
    plan cannot cite the plan by number, yet it is attached to it."""
    parts = record.with_attachments()
    ids = {part.document.id for part in parts}
    for before, part in itertools.pairwise(parts):
        source = part.document.id
        if any(target in ids for _, target, key in G.out_edges(source, keys=True)
               if key == Relation.ATTACHED_TO.value):
            continue
        relation = Relation.ATTACHED_TO.value
        G.add_edge(source, before.document.id, key=relation, relation=relation, lines=[], cited_in=source)


def _add_citation(G: Graph, index: _DocumentIndex, record: DocumentRecord, citation: Citation) -> None:
    province = record.document.province
    target = index.resolve(G, citation, province)
    source = record.document.id
    if citation.via:
        via = next((c for c in record.citations if c.number == citation.via), None)
        if via is not None:
            source = index.resolve(G, via, province)
    if source == target:
        return
    relation = citation.relation.value
    if not G.has_edge(source, target, key=relation):
        G.add_edge(source, target, key=relation, relation=relation, lines=list(citation.lines),
                   cited_in=record.document.id)
