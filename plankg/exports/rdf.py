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

import functools
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any
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

__all__ = [
    "BASE", "FORMATS", "RdfFormat", "derivation_iri", "graph_rows", "node_iri", "serialize", "to_ntriples",
    "to_rdf", "unit_iri", "unit_of_iri", "write_rdf",
]

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
_LEVEL_TERMS = {"national": PKG.National, "province": PKG.Province, "district": PKG.District, "commune": PKG.Commune}
_RECURRENCE_TERMS = {"weekly": PKG.Weekly, "monthly": PKG.Monthly, "quarterly": PKG.Quarterly,
                     "semiannual": PKG.Semiannual, "yearly": PKG.Yearly}
_AGENCY_CLASS_TERMS = {AgencyKind.COLLECTIVE.value: PKG.CollectiveAgency,
                   AgencyKind.DISTRIBUTIVE.value: PKG.DistributiveAgency}
_SAFE = "/-_.~"
# Enum values read per node and per edge (an enum member's .value is a descriptor call).
_DOCUMENT, _SECTION, _TASK, _TARGET, _AGENCY = (kind.value for kind in (
    NodeKind.DOCUMENT, NodeKind.SECTION, NodeKind.TASK, NodeKind.TARGET, NodeKind.AGENCY))
_PROPOSED, _REJECTED, _DERIVED = LinkStatus.PROPOSED.value, LinkStatus.REJECTED.value, Relation.DERIVED_FROM.value


def node_iri(node_id: str) -> URIRef:
    """The stable IRI of a graph node.

    >>> str(node_iri("ubnd-tinh-lai-chau/2026/2233-kh-ubnd#II/1"))
    'https://w3id.org/plankg/id/ubnd-tinh-lai-chau/2026/2233-kh-ubnd/II/1'
    >>> str(node_iri("agency:cac-so-nganh@tinh-lai-chau"))
    'https://w3id.org/plankg/id/agency/cac-so-nganh%40tinh-lai-chau'
    """
    return URIRef(_iri_of(node_id))


def _iri_of(node_id: str) -> str:
    if node_id.startswith("agency:"):
        return BASE + "agency/" + _quote(node_id.removeprefix("agency:"))
    # Document ids are issuer/year/number slugs; an item adds "#" and its path.
    return BASE + _quote(node_id.replace("#", "/", 1))


# quote(…, safe=_SAFE), which costs 10 µs an id (1.2 million of them in the export of a
# national workspace), for ASCII ids: ids are slugs, most with nothing to quote.
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9/_.~-]")


def _percent(match: re.Match[str]) -> str:
    return f"%{ord(match[0]):02X}"


def _quote(path: str) -> str:
    if not path.isascii():
        return quote(path, safe=_SAFE)
    return _ASCII_UNSAFE.sub(_percent, path) if _ASCII_UNSAFE.search(path) else path


def derivation_iri(child: str, parent: str) -> URIRef:
    """The stable IRI of the qualified derivation (or rejection record) of a ``derived_from`` edge.

    >>> str(derivation_iri("a#1", "b#2"))
    'https://w3id.org/plankg/id/derivation/1cc2f257bf2fe7221b549041'
    """
    return URIRef(_derivation_iri(child, parent))


def _derivation_iri(child: str, parent: str) -> str:
    return BASE + "derivation/" + hashlib.sha256(f"{child}\n{parent}".encode()).hexdigest()[:24]


#: One node as the store and the graph hold it: its id and its attributes.
NodeRow = tuple[str, Mapping[str, Any]]
#: One edge: child, parent, key, attributes, and the parent's label (read for ``derived_from`` only).
EdgeRow = tuple[str, str, str, Mapping[str, Any], str | None]
#: The triples of one subject: the subject and its (predicate, object) pairs, in N-Triples syntax.
Block = tuple[str, list[tuple[str, str]]]


def to_rdf(G: Graph) -> RDFGraph:
    """The RDF graph of ``G`` (see the module docstring for the mapping): the triples
    :func:`write_rdf` writes, read back by rdflib.

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
    rdf.parse(data=to_ntriples(G).decode("utf-8"), format="nt")
    return rdf


def to_ntriples(G: Graph) -> bytes:
    """``G`` as N-Triples, written directly (no RDF store is built): :func:`write_rdf` over
    the graph's nodes and edges.

    >>> from plankg.graph.build import Graph
    >>> G = Graph()
    >>> G.add_node("d", id="d", kind="document", label='Kế hoạch "1"', placeholder=True)
    >>> lines = to_ntriples(G).decode().splitlines()
    >>> len(lines), lines[1].split("> ", 2)[2]
    (3, '"Kế hoạch \\\\"1\\\\""@vi .')
    """
    out = io.BytesIO()
    write_rdf(*graph_rows(G), out, "nt")
    return out.getvalue()


def graph_rows(G: Graph) -> tuple[list[NodeRow], list[EdgeRow]]:
    """The nodes and edges of ``G`` in the order :func:`write_rdf` takes them (the store's
    order: nodes by id, edges by child, parent and key), after checking that no two nodes
    share an IRI."""
    owners: dict[URIRef, str] = {}
    for node in sorted(G.nodes):
        iri = node_iri(str(node))
        if iri in owners:
            raise iri_clash(owners[iri], node, str(iri))
        owners[iri] = node
    nodes: list[NodeRow] = [(str(n), G.nodes[n]) for n in sorted(G.nodes)]
    edges: list[EdgeRow] = [
        (str(u), str(v), str(k), d, G.nodes[v].get("label") if k == Relation.DERIVED_FROM.value else None)
        for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: e[:3])]
    return nodes, edges


def iri_clash(first: str, second: str, iri: str) -> ExportError:
    """The error for two node ids that map to the same IRI."""
    return ExportError(_("nodes {owner!r} and {node!r} would share the IRI {iri}")
                       .format(owner=first, node=second, iri=iri))


def write_rdf(nodes: Iterable[NodeRow], edges: Iterable[EdgeRow], out: IO[bytes], fmt: str = "nt") -> int:
    """Write the triples of ``nodes`` and ``edges`` to ``out`` as N-Triples or Turtle, as they
    come, and return how many were written.

    ``nodes`` must come in id order and ``edges`` in (child, parent, key) order, as the store
    and :func:`graph_rows` give them: each node is written with its out-edges as one subject
    block (one Turtle statement), its derivation records after it, so memory does not grow
    with the graph. Within a block the lines are sorted; the same rows give the same bytes.
    Turtle declares every prefix of :data:`PREFIXES`. Checking that no two ids share an IRI
    is the caller's (:func:`graph_rows`; the store's own check for a workspace).

    Raises
    ------
    ExportError
        A node or edge of an unknown kind, an edge from a node not in ``nodes``, rows out
        of order, or a format other than ``nt`` and ``turtle``.
    """
    if fmt not in ("nt", "turtle"):
        raise ExportError(_("cannot write {fmt!r} as it comes: choose nt or turtle").format(fmt=fmt))
    turtle = fmt == "turtle"
    if turtle:
        out.write("".join(f"@prefix {p}: <{n}> .\n" for p, n in sorted(PREFIXES.items())).encode("utf-8"))
    count = 0
    buffer: list[str] = []
    for subject, pairs in _blocks(nodes, edges):
        unique = sorted(set(pairs), key=_pair_order)
        count += len(unique)
        if turtle:
            body = " ;\n    ".join(f"{_turtle_predicate(p)} {_turtle(o, False)}" for p, o in unique)
            buffer.append(f"\n{_turtle(subject, False)} {body} .\n")
        else:
            buffer.extend(f"{subject} {p} {o} .\n" for p, o in unique)
        if len(buffer) >= 4096:
            out.write("".join(buffer).encode("utf-8"))
            buffer.clear()
    out.write("".join(buffer).encode("utf-8"))
    return count


def _pair_order(pair: tuple[str, str]) -> tuple[bool, str, str]:
    """rdf:type first (Turtle's ``a``), then by predicate and object."""
    return pair[0] != _TYPE, pair[0], pair[1]


def _blocks(nodes: Iterable[NodeRow], edges: Iterable[EdgeRow]) -> Iterator[Block]:
    """One block per node (its triples and those of its out-edges), then one per derivation
    record of its ``derived_from`` edges: a merge of the two ordered streams. Last, one block
    per administrative unit the documents and agencies were made for (:func:`_unit_blocks`)."""
    pending = iter(edges)
    edge = next(pending, None)
    previous: str | None = None
    used: set[str] = set()  # the administrative units of documents and agencies
    for node, data in nodes:
        if previous is not None and node <= previous:
            raise ExportError(_("nodes out of order: {node!r} after {previous!r}").format(node=node, previous=previous))
        if edge is not None and edge[0] < node:
            raise _dangling(edge[0], edge[1])
        previous = node
        subject = _node_ref(node)
        pairs = _node_pairs(node, data, subject)
        unit = data.get("admin_unit")
        if unit and data.get("kind") in _UNIT_PROPERTIES:
            used.add(unit)
            pairs.append((_UNIT_PROPERTIES[data["kind"]], _ref(unit_iri(unit))))
        records: list[Block] = []
        while edge is not None and edge[0] == node:
            child, parent, key, attrs, parent_label = edge
            relation = str(attrs.get("relation") or key)
            if relation == _DERIVED:
                records.append(_derivation(pairs, child, parent, attrs, data.get("label"), parent_label))
            else:
                pairs.append((_edge_predicate(child, parent, relation), _node_ref(parent)))
            edge = next(pending, None)
        yield subject, pairs
        yield from records
    if edge is not None:
        raise _dangling(edge[0], edge[1])
    if used:
        yield from _unit_blocks(used)


def _dangling(child: str, parent: str) -> ExportError:
    return ExportError(_("edge {child!r} -> {parent!r} starts at a node that is not in the graph")
                       .format(child=child, parent=parent))


# --- terms in N-Triples syntax --------------------------------------------------------------

def _ref(iri: str) -> str:
    return f"<{iri}>"


def _node_ref(node_id: str) -> str:
    return f"<{_iri_of(node_id)}>"


# Characters a literal must escape (quote, backslash, line ends) or had better (other controls
# and the line separators some readers split lines at), as N-Triples ECHAR or UCHAR.
_NEEDS_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')
_NT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _NT_ESCAPES.get(ch) or f"\\u{ord(ch):04X}"


def _quoted(text: str) -> str:
    if _NEEDS_ESCAPE.search(text):
        text = _NEEDS_ESCAPE.sub(_escape, text)
    return f'"{text}"'


def _vi(text: Any) -> str:
    return _quoted(str(text)) + "@vi"


def _plain(text: Any) -> str:
    return _quoted(str(text))


def _typed(lexical: str, datatype: str) -> str:
    return f"{_quoted(lexical)}^^<{datatype}>"


_BOOLEAN, _INTEGER, _DECIMAL, _DATE = str(XSD.boolean), str(XSD.integer), str(XSD.decimal), str(XSD.date)
_TRUE = _typed("true", _BOOLEAN)
_FALSE = _typed("false", _BOOLEAN)


@functools.lru_cache(maxsize=4096)  # source lines, target years
def _integer(value: Any) -> str:
    return _typed(str(int(value)), _INTEGER)


@functools.lru_cache(maxsize=4096)
def _decimal_text(value: float | int) -> str:
    # rdflib's lexical form of the decimal, as the RDF export has always written it.
    return str(Literal(Decimal(repr(value) if isinstance(value, float) else str(value)), datatype=XSD.decimal))


def _decimal(value: float | int) -> str:
    return _typed(_decimal_text(value), _DECIMAL)


def _date(value: str) -> str:
    return _typed(str(value), _DATE)


_TYPE = _ref(RDF.type)
_TURTLE_NAMESPACES = sorted(((n, p) for p, n in PREFIXES.items()), key=lambda e: -len(e[0]))
_PREFIX_OF = dict(_TURTLE_NAMESPACES)
# An IRI in a namespace of PREFIXES whose rest is a Turtle local name: the longest namespace
# that leaves one (the alternatives are tried longest first, the next when the rest is not).
_TURTLE_NAME = re.compile("<(" + "|".join(re.escape(namespace) for namespace, _ in _TURTLE_NAMESPACES)
                          + r")([A-Za-z_][A-Za-z0-9_-]*)>")
_XSD_TYPED = re.compile(r'\^\^<' + re.escape(str(XSD)) + r'([A-Za-z]+)>$')


def _turtle(term: str, predicate: bool) -> str:
    """An N-Triples term in Turtle: ``a``, prefixed names, ``true``/``false``, ``^^xsd:…``."""
    if term.startswith("<"):
        if predicate and term == _TYPE:
            return "a"
        name = _TURTLE_NAME.fullmatch(term)
        return f"{_PREFIX_OF[name[1]]}:{name[2]}" if name else term
    if term == _TRUE:
        return "true"
    if term == _FALSE:
        return "false"
    if term.endswith(">") and (typed := _XSD_TYPED.search(term)):
        return f"{term[:typed.start()]}^^xsd:{typed[1]}"
    return term


#: A predicate in Turtle (a few dozen, each written a million times).
_turtle_predicate = functools.lru_cache(maxsize=1024)(functools.partial(_turtle, predicate=True))


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


_UNIT_PROPERTIES = {_DOCUMENT: _ref(ELI.jurisdiction), _AGENCY: _ref(DCTERMS.spatial)}


def _unit_blocks(used: set[str]) -> Iterator[Block]:
    """Units as SKOS concepts: each unit a document or agency was made for, with the units it
    belongs to (``skos:broader``) and those before and after it on 1 July 2025
    (``pkg:succeededBy`` for the whole territory, ``pkg:partlySucceededBy`` for part). A
    document points to its unit with ``eli:jurisdiction``, an agency with ``dcterms:spatial``
    (added to their blocks by :func:`_blocks`)."""
    from plankg.graph.units import Era, unit_table

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
    schemes = {Era.BEFORE: _ref(PKG.UnitsBefore2025), Era.AFTER: _ref(PKG.Units2025)}  # declared in the ontology
    for unit_id in sorted(units):
        unit = units[unit_id]
        subject = _ref(unit_iri(unit_id))
        pairs: list[tuple[str, str]] = [(_TYPE, _ref(SKOS.Concept)), (_ref(SKOS.inScheme), schemes[unit.era]),
                                        (_ref(SKOS.notation), _plain(unit.code)), (_P["label"], _vi(unit.name))]
        _add_names(pairs.append, unit.name)
        _level(pairs.append, subject, unit.level.value)
        code = unit.district_code or unit.province_code
        if code and code != unit.code:
            broader = f"unit:{code}" + ("@pre2025" if unit.era is Era.BEFORE else "")
            if broader in units:
                pairs.append((_ref(SKOS.broader), _ref(unit_iri(broader))))
        if unit.valid_from:
            pairs.append((_ref(PKG.validFrom), _date(unit.valid_from.isoformat())))
        if unit.valid_until:
            pairs.append((_ref(PKG.validUntil), _date(unit.valid_until.isoformat())))
        for s in table.successions(unit):
            if s.before == unit and s.after.id in units:
                pairs.append((_ref(PKG.succeededBy if s.whole else PKG.partlySucceededBy), _ref(unit_iri(s.after.id))))
        yield subject, pairs


# --- nodes ------------------------------------------------------------------------------

_LEVELS = {k: _ref(v) for k, v in _LEVEL_TERMS.items()}
_RECURRENCES = {k: _ref(v) for k, v in _RECURRENCE_TERMS.items()}
_AGENCY_CLASSES = {k: _ref(v) for k, v in _AGENCY_CLASS_TERMS.items()}


def _node_pairs(node: str, data: Mapping[str, Any], subject: str) -> list[tuple[str, str]]:
    kind = data.get("kind")
    pairs: list[tuple[str, str]] = []
    if kind == _DOCUMENT:
        _add_document(pairs.append, data, subject)
    elif kind in (_SECTION, _TASK, _TARGET):
        _add_item(pairs.append, data)
    elif kind == _AGENCY:
        _add_agency(pairs.append, data, subject)
    else:
        raise ExportError(_("node {node!r} has unknown kind {kind!r}").format(node=node, kind=kind))
    return pairs


Add = Callable[[tuple[str, str]], None]
_P = {name: _ref(term) for name, term in {
    "label": RDFS.label, "id_local": ELI.id_local, "date_document": ELI.date_document, "title": ELI.title,
    "documentType": PKG.documentType, "jurisdiction": PKG.jurisdiction, "level": PKG.level,
    "placeholder": PKG.placeholder, "sourceFile": PKG.sourceFile, "description": DCTERMS.description,
    "path": PKG.path, "part": PKG.part, "sourceLine": PKG.sourceLine, "product": PKG.product,
    "deadlineText": PKG.deadlineText, "deadlineStart": PKG.deadlineStart, "deadlineEnd": PKG.deadlineEnd,
    "continuous": PKG.continuous, "recurrence": PKG.recurrence, "indicator": PKG.indicator,
    "minValue": PKG.minValue, "maxValue": PKG.maxValue, "value": PKG.value, "unit": PKG.unit,
    "comparator": PKG.comparator, "targetYear": PKG.targetYear, "prefLabel": SKOS.prefLabel,
    "hiddenLabel": SKOS.hiddenLabel,
}.items()}
_C = {name: _ref(term) for name, term in {
    "LegalResource": ELI.LegalResource, "LegalResourceSubdivision": ELI.LegalResourceSubdivision,
    "Task": PKG.Task, "Target": PKG.Target, "Organization": ORG.Organization,
}.items()}


def _level(add: Add, subject: str, level: str | None) -> None:
    if level:
        if level not in _LEVELS:
            raise ExportError(_("{subject} has unknown level {level!r}").format(subject=subject[1:-1], level=level))
        add((_P["level"], _LEVELS[level]))


def _add_document(add: Add, data: Mapping[str, Any], subject: str) -> None:
    add((_TYPE, _C["LegalResource"]))
    add((_P["label"], _vi(data["label"])))
    if data.get("number"):
        add((_P["id_local"], _plain(data["number"])))
    if data.get("date"):
        add((_P["date_document"], _date(data["date"])))
    if data.get("title"):
        add((_P["title"], _vi(data["title"])))
    if data.get("type"):
        add((_P["documentType"], _vi(data["type"])))
    if data.get("jurisdiction"):
        add((_P["jurisdiction"], _vi(data["jurisdiction"])))
    _level(add, subject, data.get("level"))
    if data.get("placeholder"):
        add((_P["placeholder"], _TRUE))
    if data.get("source"):
        add((_P["sourceFile"], _plain(data["source"])))


def _add_item(add: Add, data: Mapping[str, Any]) -> None:
    kind = data["kind"]
    add((_TYPE, _C["LegalResourceSubdivision"]))
    if kind == _TASK:
        add((_TYPE, _C["Task"]))
    elif kind == _TARGET:
        add((_TYPE, _C["Target"]))
    add((_P["label"], _vi(data["label"])))
    if data.get("text"):
        add((_P["description"], _vi(data["text"])))
    if data.get("path"):
        add((_P["path"], _plain(data["path"])))
    if data.get("part"):
        add((_P["part"], _plain(data["part"])))
    for line in data.get("lines") or ():
        add((_P["sourceLine"], _integer(line)))
    if kind == _TASK:
        _add_deadline(add, data)
        if data.get("product"):
            add((_P["product"], _vi(data["product"])))
    elif kind == _TARGET:
        _add_target(add, data)


def _add_deadline(add: Add, data: Mapping[str, Any]) -> None:
    if not data.get("deadline_text"):
        return
    add((_P["deadlineText"], _vi(data["deadline_text"])))
    for key, prop in (("deadline_start", "deadlineStart"), ("deadline_end", "deadlineEnd")):
        if data.get(key):
            add((_P[prop], _date(data[key])))
    add((_P["continuous"], _TRUE if data.get("deadline_continuous") else _FALSE))
    recurrence = data.get("deadline_recurrence")
    if recurrence:
        if recurrence not in _RECURRENCES:
            raise ExportError(_("task {task!r} has unknown recurrence {recurrence!r}")
                              .format(task=data['id'], recurrence=recurrence))
        add((_P["recurrence"], _RECURRENCES[recurrence]))


def _add_target(add: Add, data: Mapping[str, Any]) -> None:
    if data.get("indicator"):
        add((_P["indicator"], _vi(data["indicator"])))
    value = data.get("value")
    if isinstance(value, (list, tuple)):
        add((_P["minValue"], _decimal(value[0])))
        add((_P["maxValue"], _decimal(value[1])))
    elif value is not None:
        add((_P["value"], _decimal(value)))
    if data.get("unit"):
        add((_P["unit"], _plain(data["unit"])))
    if data.get("comparator"):
        add((_P["comparator"], _plain(data["comparator"])))
    if data.get("year") is not None:
        add((_P["targetYear"], _integer(data["year"])))


def _add_agency(add: Add, data: Mapping[str, Any], subject: str) -> None:
    add((_TYPE, _C["Organization"]))
    kind_class = _AGENCY_CLASSES.get(data.get("agency_kind") or "")
    if kind_class is not None:
        add((_TYPE, kind_class))
    add((_P["label"], _vi(data["label"])))
    _add_names(add, data.get("name") or data["label"])
    if data.get("jurisdiction"):
        add((_P["jurisdiction"], _vi(data["jurisdiction"])))
    _level(add, subject, data.get("level"))


def _add_names(add: Add, name: str) -> None:
    add((_P["prefLabel"], _vi(name)))
    bare = strip_accents(name)
    if bare != name:  # SKOS: a hidden label never repeats the preferred one
        add((_P["hiddenLabel"], _vi(bare)))


# --- edges ------------------------------------------------------------------------------

_EDGE_PREDICATES = {relation: _ref(term) for relation, term in {
    Relation.PART_OF.value: ELI.is_part_of,
    Relation.APPLIES.value: ELI.applies,
    Relation.BASED_ON.value: ELI.based_on,
    Relation.CITES.value: ELI.cites,
    Relation.ATTACHED_TO.value: PKG.attachedTo,
    Relation.ISSUED_BY.value: ELI.passed_by,
    Relation.LEAD.value: PKG.leadAgency,
    Relation.SUPPORT.value: PKG.supportAgency,
    Relation.SUB_ORGANIZATION_OF.value: ORG.subOrganizationOf,
}.items()}
_D = {name: _ref(term) for name, term in {
    "rejectedDerivation": PKG.rejectedDerivation, "RejectedDerivation": PKG.RejectedDerivation,
    "rejectedEntity": PKG.rejectedEntity, "wasDerivedFrom": PROV.wasDerivedFrom,
    "qualifiedDerivation": PROV.qualifiedDerivation, "Derivation": PROV.Derivation, "entity": PROV.entity,
    "status": PKG.status, "score": PKG.score, "band": PKG.band, "method": PKG.method, "evidence": PKG.evidence,
    "reason": PKG.reason,
}.items()}


def _edge_predicate(child: str, parent: str, relation: str) -> str:
    predicate = _EDGE_PREDICATES.get(relation)
    if predicate is None:
        raise ExportError(_("edge {child!r} -> {parent!r} has unknown relation {relation!r}")
                          .format(child=child, parent=parent, relation=relation))
    return predicate


def _derivation(pairs: list[tuple[str, str]], child: str, parent: str, data: Mapping[str, Any],
                child_label: Any, parent_label: Any) -> Block:
    """Add the child's side of a ``derived_from`` edge to ``pairs``; return the record's block."""
    o = _node_ref(parent)
    record = _ref(_derivation_iri(child, parent))
    status = data.get("status") or _PROPOSED
    out: list[tuple[str, str]] = []
    if status == _REJECTED:
        pairs.append((_D["rejectedDerivation"], record))
        out += [(_TYPE, _D["RejectedDerivation"]), (_D["rejectedEntity"], o)]
    else:
        pairs += [(_D["wasDerivedFrom"], o), (_D["qualifiedDerivation"], record)]
        out += [(_TYPE, _D["Derivation"]), (_D["entity"], o)]
    if child_label is None or parent_label is None:
        raise ExportError(_("edge {child!r} -> {parent!r} joins a node without a label")
                          .format(child=child, parent=parent))
    out.append((_P["label"], _vi(f"{child_label} ← {parent_label}")))
    out.append((_D["status"], _plain(status)))
    if data.get("score") is not None:
        out.append((_D["score"], _decimal(data["score"])))
    if data.get("band"):
        out.append((_D["band"], _plain(data["band"])))
    if data.get("method"):
        out.append((_D["method"], _plain(data["method"])))
    for phrase in _strings(data.get("evidence")):
        out.append((_D["evidence"], _vi(phrase)))
    if data.get("reason"):
        out.append((_D["reason"], _plain(data["reason"])))
    return record, out


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or ()]


def serialize(G: Graph | RDFGraph, fmt: str) -> bytes:
    """``G`` (or its RDF graph) in ``fmt``: turtle, nt, jsonld or xml, UTF-8.

    Every format is deterministic, the same graph giving the same bytes. A plankg graph's
    N-Triples and Turtle are written as they come by :func:`write_rdf` (subjects in node id
    order, each with its lines sorted); an rdflib graph's N-Triples lines are sorted and its
    Turtle is rdflib's (which sorts). JSON-LD nodes and values are sorted, and RDF/XML is
    written from the triples in sorted order.

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
    @prefix dcterms: <http://purl.org/dc/terms/> .
    @prefix eli: <http://data.europa.eu/eli/ontology#> .
    @prefix org: <http://www.w3.org/ns/org#> .
    @prefix pkg: <https://w3id.org/plankg/ontology#> .
    @prefix prov: <http://www.w3.org/ns/prov#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <BLANKLINE>
    <https://w3id.org/plankg/id/agency/so-y-te> a org:Organization ;
        rdfs:label "Sở Y tế"@vi ;
        skos:hiddenLabel "So Y te"@vi ;
        skos:prefLabel "Sở Y tế"@vi .
    <BLANKLINE>
    """
    if fmt in ("nt", "turtle") and not isinstance(G, RDFGraph):
        out = io.BytesIO()
        write_rdf(*graph_rows(G), out, fmt)
        return out.getvalue()
    rdf = G if isinstance(G, RDFGraph) else to_rdf(G)
    if fmt == "nt":
        lines = rdf.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
        return "".join(line + "\n" for line in sorted(set(lines)) if line).encode("utf-8")
    if fmt == "turtle":  # an rdflib graph: its Turtle serializer sorts subjects, predicates and objects
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
