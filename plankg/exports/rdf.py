"""RDF export of the graph: standard vocabularies for the core facts, the plankg ontology for the rest.

The mapping is docs/contract.md's table. Documents are ``eli:LegalResource`` with
``eli:id_local`` (số ký hiệu), ``eli:date_document``, ``eli:passed_by`` (the issuer agency)
and ``eli:applies`` / ``eli:based_on`` / ``eli:cites`` / ``pkg:attachedTo``; sections, tasks
and targets are ``eli:LegalResourceSubdivision`` (tasks and targets also ``pkg:Task`` /
``pkg:Target``) that are ``eli:is_part_of`` their section or document, with their text as
``dcterms:description`` in Vietnamese; agencies are ``org:Organization`` with
``skos:prefLabel``, an accent-free ``skos:hiddenLabel`` and ``org:subOrganizationOf``.
Every resource has an ``rdfs:label``.

Lineage: a proposed or confirmed ``derived_from`` edge becomes ``prov:wasDerivedFrom`` plus
a ``prov:qualifiedDerivation`` (a ``prov:Derivation`` with ``prov:entity``, ``pkg:score``,
``pkg:method``, ``pkg:status`` and ``pkg:evidence``). A link a person *rejected* is not
asserted: it is kept only as ``pkg:rejectedDerivation`` to a ``pkg:RejectedDerivation``
record (``pkg:rejectedEntity``, score, method, status "rejected", reason), which is
deliberately outside PROV, so that no reader or reasoner takes it for a derivation.

IRIs are stable and never blank nodes. Under :data:`BASE`, a document is its node id, an
ELI-style path (``issuer-slug/year/number-slug``, with the province first below the
province level); its sections, tasks and targets add their item path
(``…/ubnd-tinh-lai-chau/2026/2233-kh-ubnd/II/1``); agencies are ``…/agency/<slug>``; a
derivation record is ``…/derivation/<hash of child and parent ids>``. What an IRI cannot
hold is percent-encoded. A placeholder's issuer, known only by name from a citation, is
the agency of that name when the graph has exactly one, else a new ``org:Organization``
with the IRI that name would have.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol
from typing import Literal as TypingLiteral
from urllib.parse import quote, unquote

from rdflib import Graph as RDFGraph
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from plankg.errors import ExportError
from plankg.exports.text import xml_text
from plankg.i18n import _
from plankg.model import AgencyKind, LinkStatus, NodeKind, Relation
from plankg.normalize import strip_accents
from plankg.ontology import ELI, PKG

if TYPE_CHECKING:
    from plankg.graph.build import Graph

__all__ = ["BASE", "FORMATS", "RdfFormat", "derivation_iri", "node_iri", "serialize", "to_rdf", "unit_iri",
           "unit_of_iri"]

#: Every resource IRI of an export starts with this.
BASE = "https://w3id.org/plankg/id/"
RdfFormat = TypingLiteral["turtle", "nt", "jsonld", "xml"]
FORMATS: tuple[RdfFormat, ...] = ("turtle", "nt", "jsonld", "xml")

PREFIXES: dict[str, str] = {
    "pkg": str(PKG),
    "eli": str(ELI),
    "prov": str(PROV),
    "org": str(ORG),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
}
_LEVELS = {"national": PKG.National, "province": PKG.Province, "district": PKG.District, "commune": PKG.Commune}
_RECURRENCES = {"weekly": PKG.Weekly, "monthly": PKG.Monthly, "quarterly": PKG.Quarterly, "yearly": PKG.Yearly}
_DOCUMENT_RELATIONS = {
    Relation.APPLIES.value: ELI.applies,
    Relation.BASED_ON.value: ELI.based_on,
    Relation.CITES.value: ELI.cites,
    Relation.ATTACHED_TO.value: PKG.attachedTo,
}
_AGENCY_CLASSES = {AgencyKind.COLLECTIVE.value: PKG.CollectiveAgency,
                   AgencyKind.DISTRIBUTIVE.value: PKG.DistributiveAgency}
_SAFE = "/-_.~"


def node_iri(node_id: str) -> URIRef:
    """The stable IRI of a graph node.

    >>> str(node_iri("ubnd-tinh-lai-chau/2026/2233-kh-ubnd#II/1"))
    'https://w3id.org/plankg/id/ubnd-tinh-lai-chau/2026/2233-kh-ubnd/II/1'
    >>> str(node_iri("agency:cac-so-nganh@tinh-lai-chau"))
    'https://w3id.org/plankg/id/agency/cac-so-nganh%40tinh-lai-chau'
    """
    if node_id.startswith("agency:"):
        return URIRef(BASE + "agency/" + quote(node_id.removeprefix("agency:"), safe=_SAFE))
    # Document ids are issuer/year/number slugs; an item adds "#" and its path.
    return URIRef(BASE + quote(node_id.replace("#", "/", 1), safe=_SAFE))


def derivation_iri(child: str, parent: str) -> URIRef:
    """The stable IRI of the qualified derivation (or rejection record) of a ``derived_from`` edge.

    >>> str(derivation_iri("a#1", "b#2"))
    'https://w3id.org/plankg/id/derivation/1cc2f257bf2fe7221b549041'
    """
    digest = hashlib.sha256(f"{child}\n{parent}".encode()).hexdigest()[:24]
    return URIRef(BASE + "derivation/" + digest)


def to_rdf(G: Graph) -> RDFGraph:
    """The RDF graph of ``G`` (see the module docstring for the mapping).

    Raises
    ------
    ExportError
        A node or edge of an unknown kind, or two nodes whose ids map to the same IRI.

    Examples
    --------
    >>> from plankg.loaders import load_text
    >>> from plankg.graph import build_graph
    >>> G = build_graph([load_text("Số: 5/KH-UBND\\nKẾ HOẠCH\\nThử\\n1. Sở Y tế chủ trì.", source="a.txt")])
    >>> rdf = to_rdf(G)
    >>> (None, RDF.type, ELI.LegalResource) in rdf and (None, RDF.type, PKG.Task) in rdf
    True
    """
    rdf = RDFGraph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        rdf.bind(prefix, namespace)
    _emit(G, rdf)
    return rdf


def to_ntriples(G: Graph) -> bytes:
    """``G`` as sorted N-Triples, written directly: no RDF store is built, so a national
    graph of millions of triples exports in seconds and little memory.

    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("d", id="d", kind="document", label='Kế hoạch "1"', placeholder=True)
    >>> lines = to_ntriples(G).decode().splitlines()
    >>> len(lines), lines[1].split("> ", 2)[2]
    (3, '"Kế hoạch \\\\"1\\\\""@vi .')
    """
    sink = _NTriples()
    _emit(G, sink)
    return "".join(line + "\n" for line in sorted(set(sink.lines))).encode("utf-8")


def _emit(G: Graph, rdf: Sink) -> None:
    """Add the triples of ``G`` to ``rdf`` (an rdflib graph or an N-Triples writer)."""
    iris = _node_iris(G)
    for node in sorted(G.nodes):
        data = G.nodes[node]
        kind = data.get("kind")
        subject = iris[node]
        if kind == NodeKind.DOCUMENT.value:
            _add_document(rdf, G, node, data, subject, iris)
        elif kind in (NodeKind.SECTION.value, NodeKind.TASK.value, NodeKind.TARGET.value):
            _add_item(rdf, data, subject)
        elif kind == NodeKind.AGENCY.value:
            _add_agency(rdf, data, subject)
        else:
            raise ExportError(_("node {node!r} has unknown kind {kind!r}").format(node=node, kind=kind))
    for child, parent, key, data in sorted(G.edges(keys=True, data=True), key=lambda e: e[:3]):
        _add_edge(rdf, G, child, parent, str(data.get("relation") or key), data, iris)
    _add_units(G, rdf, iris)


class Sink(Protocol):
    """Where triples go: an rdflib graph, or :class:`_NTriples`."""

    def add(self, triple: tuple[Any, Any, Any]) -> Any: ...


_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class _NTriples:
    """Collects triples as N-Triples lines (the escaping of the N-Triples grammar)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, triple: tuple[Any, Any, Any]) -> None:
        s, p, o = triple
        self.lines.append(f"{_nt(s)} {_nt(p)} {_nt(o)} .")


def _nt(term: Any) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_NT_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^<{term.datatype}>"
        return text
    raise ExportError(_("cannot write {term!r} as N-Triples").format(term=term))


def serialize(G: Graph | RDFGraph, fmt: str) -> bytes:
    """``G`` (or its RDF graph) in ``fmt``: turtle, nt, jsonld or xml, UTF-8.

    Every format is deterministic, the same graph giving the same bytes: N-Triples lines are
    sorted, rdflib's Turtle serializer sorts, JSON-LD nodes and values are sorted, and
    RDF/XML is written from the triples in sorted order.

    Raises
    ------
    ExportError
        ``fmt`` is not one of :data:`FORMATS`.

    Examples
    --------
    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("agency:so-y-te", id="agency:so-y-te", kind="agency", label="Sở Y tế", name="Sở Y tế")
    >>> print(serialize(G, "turtle").decode())
    @prefix org: <http://www.w3.org/ns/org#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <BLANKLINE>
    <https://w3id.org/plankg/id/agency/so-y-te> a org:Organization ;
        rdfs:label "Sở Y tế"@vi ;
        skos:hiddenLabel "So Y te"@vi ;
        skos:prefLabel "Sở Y tế"@vi .
    <BLANKLINE>
    <BLANKLINE>
    """
    if fmt == "nt" and not isinstance(G, RDFGraph):
        return to_ntriples(G)
    rdf = G if isinstance(G, RDFGraph) else to_rdf(G)
    if fmt == "nt":
        lines = rdf.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return "".join(line + "\n" for line in sorted(set(lines)) if line).encode("utf-8")
    if fmt == "turtle":  # rdflib's Turtle serializer sorts subjects, predicates and objects
        return rdf.serialize(format="turtle", encoding="utf-8")
    if fmt == "jsonld":
        data = json.loads(rdf.serialize(format="json-ld", context=dict(PREFIXES), encoding="utf-8"))
        return (json.dumps(_sorted_jsonld(data), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
    if fmt == "xml":
        # rdflib writes subjects in its store's order: an insertion-ordered store filled in
        # sorted order makes the bytes independent of hashing.
        ordered = RDFGraph(store="SimpleMemory", bind_namespaces="none")
        for prefix, namespace in PREFIXES.items():
            ordered.bind(prefix, namespace)
        for triple in sorted(rdf, key=lambda t: tuple(term.n3() for term in t)):
            ordered.add(_xml_triple(triple))
        return ordered.serialize(format="xml", encoding="utf-8")
    raise ExportError(_("unknown RDF format {fmt!r}: choose one of {formats}")
                      .format(fmt=fmt, formats=', '.join(FORMATS)))


def _xml_triple(triple: tuple[Any, Any, Any]) -> tuple[Any, Any, Any]:
    """``triple`` with literals XML can hold: characters XML 1.0 forbids become U+FFFD."""
    s, p, o = triple
    if isinstance(o, Literal) and xml_text(str(o)) != str(o):
        o = Literal(xml_text(str(o)), lang=o.language, datatype=o.datatype)
    return s, p, o


def _sorted_jsonld(value: Any, key: str | None = None) -> Any:
    """JSON-LD with node and value arrays in a stable order (``@list`` arrays keep theirs)."""
    if isinstance(value, dict):
        return {k: _sorted_jsonld(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_jsonld(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return value


# --- administrative units -----------------------------------------------------------------

def unit_iri(unit_id: str) -> URIRef:
    """The IRI of an official administrative unit (:mod:`plankg.graph.units`): its code,
    under ``pre2025/`` for a unit of before 1 July 2025.

    >>> str(unit_iri("unit:03388")), str(unit_iri("unit:105@pre2025"))
    ('https://w3id.org/plankg/id/unit/03388', 'https://w3id.org/plankg/id/unit/pre2025/105')
    """
    code, _, era = unit_id.removeprefix("unit:").partition("@")
    return URIRef(BASE + "unit/" + (f"{quote(era, safe='')}/" if era else "") + quote(code, safe=""))


def unit_of_iri(iri: str) -> str | None:
    """The unit id of a unit's IRI (:func:`unit_iri`), or None for any other IRI.

    >>> unit_of_iri(BASE + "unit/pre2025/105"), unit_of_iri(BASE + "unit/03388"), unit_of_iri(BASE + "agency/x")
    ('unit:105@pre2025', 'unit:03388', None)
    """
    if not iri.startswith(BASE + "unit/"):
        return None
    era, _, code = iri.removeprefix(BASE + "unit/").rpartition("/")
    return f"unit:{unquote(code)}" + (f"@{unquote(era)}" if era else "") if code else None


def _add_units(G: Graph, rdf: Sink, iris: Mapping[str, URIRef]) -> None:
    """Units as SKOS concepts: each unit a document or agency was made for, with the units it
    belongs to (``skos:broader``) and those before and after it on 1 July 2025
    (``pkg:succeededBy`` for the whole territory, ``pkg:partlySucceededBy`` for part). A
    document points to its unit with ``eli:jurisdiction``, an agency with ``dcterms:spatial``."""
    from plankg.graph.units import Era, unit_table

    used: set[str] = set()
    for node in sorted(G.nodes):
        data = G.nodes[node]
        if not data.get("admin_unit") or data.get("kind") not in (NodeKind.DOCUMENT.value, NodeKind.AGENCY.value):
            continue
        used.add(data["admin_unit"])
        prop = ELI.jurisdiction if data.get("kind") == NodeKind.DOCUMENT.value else DCTERMS.spatial
        rdf.add((iris[node], prop, unit_iri(data["admin_unit"])))
    if not used:
        return
    table = unit_table()
    units = {u.id: u for u in (table.get(i) for i in used) if u is not None}
    for unit in list(units.values()):
        for s in table.successions(unit):
            units.setdefault(s.before.id, s.before)
            units.setdefault(s.after.id, s.after)
    pending = list(units.values())
    while pending:  # the provinces and districts the units belong to
        unit = pending.pop()
        for code in (unit.district_code, unit.province_code):
            found = table.get(f"unit:{code}" + ("@pre2025" if unit.era is Era.BEFORE else "")) if code else None
            if found is not None and found.id not in units:
                units[found.id] = found
                pending.append(found)
    schemes = {Era.BEFORE: PKG.UnitsBefore2025, Era.AFTER: PKG.Units2025}  # declared in the ontology
    for unit_id in sorted(units):
        unit = units[unit_id]
        subject = unit_iri(unit_id)
        rdf.add((subject, RDF.type, SKOS.Concept))
        rdf.add((subject, SKOS.inScheme, schemes[unit.era]))
        rdf.add((subject, SKOS.notation, Literal(unit.code)))
        rdf.add((subject, RDFS.label, _vi(unit.name)))
        _add_names(rdf, subject, unit.name)
        _level(rdf, subject, unit.level.value)
        for code in (unit.district_code or unit.province_code,):
            if code and code != unit.code:
                broader = f"unit:{code}" + ("@pre2025" if unit.era is Era.BEFORE else "")
                if broader in units:
                    rdf.add((subject, SKOS.broader, unit_iri(broader)))
        if unit.valid_from:
            rdf.add((subject, PKG.validFrom, Literal(unit.valid_from)))
        if unit.valid_until:
            rdf.add((subject, PKG.validUntil, Literal(unit.valid_until)))
        for s in table.successions(unit):
            if s.before == unit and s.after.id in units:
                rdf.add((subject, PKG.succeededBy if s.whole else PKG.partlySucceededBy, unit_iri(s.after.id)))


# --- nodes ------------------------------------------------------------------------------

def _node_iris(G: Graph) -> dict[str, URIRef]:
    iris: dict[str, URIRef] = {}
    owners: dict[URIRef, str] = {}
    for node in sorted(G.nodes):
        iri = node_iri(str(node))
        if iri in owners:
            raise ExportError(_("nodes {owner!r} and {node!r} would share the IRI {iri}")
                              .format(owner=owners[iri], node=node, iri=iri))
        owners[iri] = node
        iris[node] = iri
    return iris


def _vi(text: str) -> Literal:
    return Literal(text, lang="vi")


def _decimal(value: float | int) -> Literal:
    return Literal(Decimal(repr(value) if isinstance(value, float) else str(value)), datatype=XSD.decimal)


def _level(rdf: Sink, subject: URIRef, level: str | None) -> None:
    if level:
        if level not in _LEVELS:
            raise ExportError(_("{subject} has unknown level {level!r}").format(subject=subject, level=level))
        rdf.add((subject, PKG.level, _LEVELS[level]))


def _add_document(rdf: Sink, G: Graph, node: str, data: Mapping[str, Any], subject: URIRef,
                  iris: Mapping[str, URIRef]) -> None:
    rdf.add((subject, RDF.type, ELI.LegalResource))
    rdf.add((subject, RDFS.label, _vi(data["label"])))
    if data.get("number"):
        rdf.add((subject, ELI.id_local, Literal(data["number"])))
    if data.get("date"):
        rdf.add((subject, ELI.date_document, Literal(data["date"], datatype=XSD.date)))
    if data.get("title"):
        rdf.add((subject, ELI.title, _vi(data["title"])))
    if data.get("type"):
        rdf.add((subject, PKG.documentType, _vi(data["type"])))
    if data.get("jurisdiction"):
        rdf.add((subject, PKG.jurisdiction, _vi(data["jurisdiction"])))
    _level(rdf, subject, data.get("level"))
    if data.get("placeholder"):
        rdf.add((subject, PKG.placeholder, Literal(True)))
    if data.get("source"):
        rdf.add((subject, PKG.sourceFile, Literal(data["source"])))


def _add_item(rdf: Sink, data: Mapping[str, Any], subject: URIRef) -> None:
    kind = data["kind"]
    rdf.add((subject, RDF.type, ELI.LegalResourceSubdivision))
    if kind == NodeKind.TASK.value:
        rdf.add((subject, RDF.type, PKG.Task))
    elif kind == NodeKind.TARGET.value:
        rdf.add((subject, RDF.type, PKG.Target))
    rdf.add((subject, RDFS.label, _vi(data["label"])))
    if data.get("text"):
        rdf.add((subject, DCTERMS.description, _vi(data["text"])))
    if data.get("path"):
        rdf.add((subject, PKG.path, Literal(data["path"])))
    if data.get("part"):
        rdf.add((subject, PKG.part, Literal(data["part"])))
    for line in data.get("lines") or ():
        rdf.add((subject, PKG.sourceLine, Literal(int(line))))
    if kind == NodeKind.TASK.value:
        _add_deadline(rdf, data, subject)
        if data.get("product"):
            rdf.add((subject, PKG.product, _vi(data["product"])))
    elif kind == NodeKind.TARGET.value:
        _add_target(rdf, data, subject)


def _add_deadline(rdf: Sink, data: Mapping[str, Any], subject: URIRef) -> None:
    if not data.get("deadline_text"):
        return
    rdf.add((subject, PKG.deadlineText, _vi(data["deadline_text"])))
    for key, prop in (("deadline_start", PKG.deadlineStart), ("deadline_end", PKG.deadlineEnd)):
        if data.get(key):
            rdf.add((subject, prop, Literal(data[key], datatype=XSD.date)))
    rdf.add((subject, PKG.continuous, Literal(bool(data.get("deadline_continuous")))))
    recurrence = data.get("deadline_recurrence")
    if recurrence:
        if recurrence not in _RECURRENCES:
            raise ExportError(_("task {task!r} has unknown recurrence {recurrence!r}")
                              .format(task=data['id'], recurrence=recurrence))
        rdf.add((subject, PKG.recurrence, _RECURRENCES[recurrence]))


def _add_target(rdf: Sink, data: Mapping[str, Any], subject: URIRef) -> None:
    if data.get("indicator"):
        rdf.add((subject, PKG.indicator, _vi(data["indicator"])))
    value = data.get("value")
    if isinstance(value, (list, tuple)):
        rdf.add((subject, PKG.minValue, _decimal(value[0])))
        rdf.add((subject, PKG.maxValue, _decimal(value[1])))
    elif value is not None:
        rdf.add((subject, PKG.value, _decimal(value)))
    if data.get("unit"):
        rdf.add((subject, PKG.unit, Literal(data["unit"])))
    if data.get("comparator"):
        rdf.add((subject, PKG.comparator, Literal(data["comparator"])))
    if data.get("year") is not None:
        rdf.add((subject, PKG.targetYear, Literal(int(data["year"]))))


def _add_agency(rdf: Sink, data: Mapping[str, Any], subject: URIRef) -> None:
    rdf.add((subject, RDF.type, ORG.Organization))
    kind_class = _AGENCY_CLASSES.get(data.get("agency_kind") or "")
    if kind_class is not None:
        rdf.add((subject, RDF.type, kind_class))
    rdf.add((subject, RDFS.label, _vi(data["label"])))
    _add_names(rdf, subject, data.get("name") or data["label"])
    if data.get("jurisdiction"):
        rdf.add((subject, PKG.jurisdiction, _vi(data["jurisdiction"])))
    _level(rdf, subject, data.get("level"))


def _add_names(rdf: Sink, subject: URIRef, name: str) -> None:
    rdf.add((subject, SKOS.prefLabel, _vi(name)))
    bare = strip_accents(name)
    if bare != name:  # SKOS: a hidden label never repeats the preferred one
        rdf.add((subject, SKOS.hiddenLabel, _vi(bare)))


# --- edges ------------------------------------------------------------------------------

def _add_edge(rdf: Sink, G: Graph, child: str, parent: str, relation: str, data: Mapping[str, Any],
              iris: Mapping[str, URIRef]) -> None:
    s, o = iris[child], iris[parent]
    if relation == Relation.PART_OF.value:
        rdf.add((s, ELI.is_part_of, o))
    elif relation in _DOCUMENT_RELATIONS:
        rdf.add((s, _DOCUMENT_RELATIONS[relation], o))
    elif relation == Relation.ISSUED_BY.value:
        rdf.add((s, ELI.passed_by, o))
    elif relation == Relation.LEAD.value:
        rdf.add((s, PKG.leadAgency, o))
    elif relation == Relation.SUPPORT.value:
        rdf.add((s, PKG.supportAgency, o))
    elif relation == Relation.SUB_ORGANIZATION_OF.value:
        rdf.add((s, ORG.subOrganizationOf, o))
    elif relation == Relation.DERIVED_FROM.value:
        _add_derivation(rdf, G, child, parent, data, iris)
    else:
        raise ExportError(_("edge {child!r} -> {parent!r} has unknown relation {relation!r}")
                          .format(child=child, parent=parent, relation=relation))


def _add_derivation(rdf: Sink, G: Graph, child: str, parent: str, data: Mapping[str, Any],
                    iris: Mapping[str, URIRef]) -> None:
    s, o = iris[child], iris[parent]
    record = derivation_iri(child, parent)
    status = data.get("status") or LinkStatus.PROPOSED.value
    if status == LinkStatus.REJECTED.value:
        rdf.add((s, PKG.rejectedDerivation, record))
        rdf.add((record, RDF.type, PKG.RejectedDerivation))
        rdf.add((record, PKG.rejectedEntity, o))
    else:
        rdf.add((s, PROV.wasDerivedFrom, o))
        rdf.add((s, PROV.qualifiedDerivation, record))
        rdf.add((record, RDF.type, PROV.Derivation))
        rdf.add((record, PROV.entity, o))
    rdf.add((record, RDFS.label, _vi(f"{G.nodes[child]['label']} ← {G.nodes[parent]['label']}")))
    rdf.add((record, PKG.status, Literal(status)))
    if data.get("score") is not None:
        rdf.add((record, PKG.score, _decimal(data["score"])))
    if data.get("band"):
        rdf.add((record, PKG.band, Literal(data["band"])))
    if data.get("method"):
        rdf.add((record, PKG.method, Literal(data["method"])))
    for phrase in _strings(data.get("evidence")):
        rdf.add((record, PKG.evidence, _vi(phrase)))
    if data.get("reason"):
        rdf.add((record, PKG.reason, Literal(data["reason"])))


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or ()]

