"""RDF export: the CONTRACT.md mapping, stable IRIs, determinism, and golden files.

The golden files in tests/data/expected/rdf/ are the exports of the small graph of
tests/small_graph.py, compared by graph isomorphism. After an intended change of the
export, regenerate them with ``python scripts/regen_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from gold import load_gold
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD
from small_graph import PROVINCE, WARD, build_small_graph

from plankg.errors import ExportError
from plankg.exports.rdf import BASE, FORMATS, _turtle, derivation_iri, node_iri, serialize, to_rdf
from plankg.graph import build_graph
from plankg.model import DocumentRecord
from plankg.normalize import fold, strip_accents
from plankg.ontology import ELI, PKG

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "data" / "expected" / "rdf"
GOLDEN = {"turtle": "small.ttl", "nt": "small.nt", "jsonld": "small.jsonld", "xml": "small.rdf"}
RDFLIB_FORMAT = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
GOLD = load_gold()


@pytest.fixture(scope="module")
def seed_graph(seed_records: dict[str, DocumentRecord]) -> nx.MultiDiGraph:
    return build_graph(seed_records.values())


@pytest.fixture(scope="module")
def seed_turtle(seed_graph: nx.MultiDiGraph) -> bytes:
    return serialize(seed_graph, "turtle")


@pytest.fixture(scope="module")
def small() -> nx.MultiDiGraph:
    return build_small_graph()


@pytest.fixture(scope="module")
def small_rdf(small: nx.MultiDiGraph) -> Graph:
    return to_rdf(small)


def agency(G: nx.MultiDiGraph, name: str) -> URIRef:
    """The IRI of the agency called ``name`` (agency ids are the graph stage's business)."""
    [node] = [n for n, d in G.nodes(data=True) if d["kind"] == "agency" and d["name"] == name]
    return node_iri(node)


# --- golden files and determinism -------------------------------------------------------

def parse(data: bytes, fmt: str) -> Graph:
    """Read an export back. rdflib's JSON-LD parser goes through its deprecated
    ConjunctiveGraph (a DeprecationWarning), so JSON-LD is read by Oxigraph's parser."""
    if fmt != "jsonld":
        return Graph().parse(data=data, format=RDFLIB_FORMAT[fmt])
    quads = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.JSON_LD)
    nt = pyoxigraph.serialize([q.triple for q in quads], format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert nt is not None
    return Graph().parse(data=nt, format="nt")


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_matches_its_golden_file(small_rdf: Graph, fmt: str) -> None:
    produced = parse(serialize(small_rdf, fmt), fmt)
    expected = parse((EXPECTED / GOLDEN[fmt]).read_bytes(), fmt)
    assert isomorphic(produced, small_rdf)
    assert isomorphic(produced, expected), "run python scripts/regen_golden.py and review the diff"


def test_golden_script_writes_the_files_the_tests_read() -> None:
    script = (ROOT / "scripts" / "regen_golden.py").read_text(encoding="utf-8")
    for name in GOLDEN.values():
        assert f'"{name}"' in script


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_graph_gives_same_bytes_whatever_the_insertion_order(small: nx.MultiDiGraph, fmt: str) -> None:
    shuffled = nx.MultiDiGraph()
    nodes, edges = list(small.nodes(data=True)), list(small.edges(keys=True, data=True))
    random.Random(7).shuffle(nodes)
    random.Random(7).shuffle(edges)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(edges)
    assert serialize(shuffled, fmt) == serialize(small, fmt)


def test_same_bytes_in_another_process_with_other_string_hashing(small: nx.MultiDiGraph) -> None:
    code = ("import sys; sys.path.insert(0, 'tests'); from small_graph import build_small_graph; "
            "from plankg.exports.rdf import serialize, FORMATS; G = build_small_graph(); "
            "sys.stdout.buffer.write(b'\\0'.join(serialize(G, f) for f in FORMATS))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True).stdout
    assert out.split(b"\0") == [serialize(small, fmt) for fmt in FORMATS]


def test_unknown_format_is_an_export_error(small: nx.MultiDiGraph) -> None:
    with pytest.raises(ExportError, match="turtle, nt, jsonld, xml"):
        serialize(small, "n3")


# --- the seed corpus ----------------------------------------------------------------------

def test_turtle_export_of_the_seed_graph_parses(seed_graph: nx.MultiDiGraph, seed_turtle: bytes) -> None:
    parsed = Graph().parse(data=seed_turtle, format="turtle")
    assert isomorphic(parsed, to_rdf(seed_graph))
    documents = set(parsed.subjects(RDF.type, ELI.LegalResource))
    assert len(documents) == sum(1 for _, d in seed_graph.nodes(data=True) if d["kind"] == "document")


# Standard terms only: a SPARQL user without the plankg ontology can trace the lineage.
LINEAGE = """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?childText ?parentText WHERE {
  ?child eli:is_part_of+ ?childDocument ; dcterms:description ?childText ; prov:wasDerivedFrom+ ?parent .
  ?parent eli:is_part_of+ ?parentDocument ; dcterms:description ?parentText .
}
"""


@pytest.fixture(scope="module")
def lineage_rows(seed_turtle: bytes, seed_records: dict[str, DocumentRecord]) -> list[tuple[str, str]]:
    rdf = Graph().parse(data=seed_turtle, format="turtle")
    child_doc = node_iri(seed_records[GOLD["lineage"]["child_document"]].document.id)
    parent_doc = node_iri(seed_records[GOLD["lineage"]["parent_document"]].document.id)
    rows = rdf.query(LINEAGE, initBindings={"childDocument": child_doc, "parentDocument": parent_doc})
    return [(str(row[0]), str(row[1])) for row in rows]  # type: ignore[index]


@pytest.mark.parametrize("pair", GOLD["lineage"]["pairs"], ids=lambda p: p["child"][:40])
def test_plain_sparql_finds_the_national_directive_of_each_gold_ward_task(
        lineage_rows: list[tuple[str, str]], pair: dict[str, str]) -> None:
    assert "pkg:" not in LINEAGE and str(PKG) not in LINEAGE
    parents = [parent for child, parent in lineage_rows if fold(pair["child"]) in fold(child)]
    assert parents, f"no derivation from the ward task {pair['child']!r}"
    assert any(fold(pair["parent"]) in fold(parent) for parent in parents), parents


def test_no_blank_nodes_and_every_resource_is_labelled(seed_graph: nx.MultiDiGraph) -> None:
    rdf = to_rdf(seed_graph)
    assert not any(isinstance(term, BNode) for triple in rdf for term in triple)
    for subject in set(rdf.subjects()):
        assert isinstance(subject, URIRef) and str(subject).startswith(BASE)
        assert rdf.value(subject, RDFS.label) is not None, subject
    for node, data in seed_graph.nodes(data=True):
        iri = node_iri(node)
        assert str(iri).startswith(BASE)
        if data["kind"] in ("document", "task", "agency"):
            assert (iri, RDF.type, None) in rdf


def test_eli_implements_never_appears(seed_turtle: bytes, small_rdf: Graph) -> None:
    assert b"implements" not in seed_turtle
    assert not any(ELI.implements in triple for triple in small_rdf)


# --- the mapping, on the small graph ----------------------------------------------------

def test_documents_carry_number_date_issuer_and_citations(small: nx.MultiDiGraph, small_rdf: Graph) -> None:
    province, ward = node_iri(PROVINCE), node_iri(WARD)
    assert small_rdf.value(province, ELI.id_local) == Literal("12/KH-UBND")
    assert small_rdf.value(province, ELI.date_document) == Literal("2026-03-10", datatype=XSD.date)
    issuer = agency(small, "UBND tỉnh Lai Châu")
    assert small_rdf.value(province, ELI.passed_by) == issuer
    assert (issuer, RDF.type, ORG.Organization) in small_rdf
    assert (ward, ELI.applies, province) in small_rdf
    assert (province, PKG.level, PKG.Province) in small_rdf
    placeholder = node_iri("bo-chinh-tri/2024/57-nq-tw")
    assert (province, ELI.applies, placeholder) in small_rdf
    assert (placeholder, PKG.placeholder, Literal(True)) in small_rdf
    assert (province, PKG.placeholder, None) not in small_rdf
    # The placeholder's issuer is known by name only: it still gets its agency IRI.
    issuer = small_rdf.value(placeholder, ELI.passed_by)
    assert small_rdf.value(issuer, SKOS.prefLabel) == Literal("Bộ Chính trị", lang="vi")
    assert (issuer, RDF.type, ORG.Organization) in small_rdf


def test_tasks_carry_text_agencies_deadline_product(small: nx.MultiDiGraph, small_rdf: Graph) -> None:
    task = node_iri(f"{PROVINCE}#II/r1")
    assert (task, RDF.type, PKG.Task) in small_rdf
    assert small_rdf.value(task, DCTERMS.description) == Literal("Phát triển hạ tầng số đồng bộ, hiện đại", lang="vi")
    assert small_rdf.value(task, ELI.is_part_of) == node_iri(f"{PROVINCE}#II")
    assert small_rdf.value(task, PKG.leadAgency) == agency(small, "Sở Khoa học và Công nghệ tỉnh Lai Châu")
    assert small_rdf.value(task, PKG.supportAgency) == agency(small, "Sở Tài chính tỉnh Lai Châu")
    assert small_rdf.value(task, PKG.deadlineEnd) == Literal("2026-12-31", datatype=XSD.date)
    assert small_rdf.value(task, PKG.continuous) == Literal(False)
    assert small_rdf.value(task, PKG.product) == Literal("Báo cáo kết quả", lang="vi")
    assert small_rdf.value(node_iri(f"{PROVINCE}#II/r3"), PKG.recurrence) == PKG.Quarterly
    target = node_iri(f"{PROVINCE}#I~t1")
    assert small_rdf.value(target, PKG.value) == Literal("80.0", datatype=XSD.decimal)
    assert small_rdf.value(target, PKG.comparator) == Literal(">")


def test_agencies_have_accent_free_hidden_labels_and_kinds(small: nx.MultiDiGraph, small_rdf: Graph) -> None:
    for organization in small_rdf.subjects(RDF.type, ORG.Organization):
        name = small_rdf.value(organization, SKOS.prefLabel)
        assert isinstance(name, Literal) and name.language == "vi"
        bare = strip_accents(str(name))
        hidden = small_rdf.value(organization, SKOS.hiddenLabel)
        assert hidden == (Literal(bare, lang="vi") if bare != str(name) else None)  # SKOS: never the prefLabel
    assert (agency(small, "các sở, ngành có liên quan"), RDF.type, PKG.CollectiveAgency) in small_rdf
    assert (agency(small, "Sở Nội vụ tỉnh Lai Châu"), ORG.subOrganizationOf,
            agency(small, "UBND tỉnh Lai Châu")) in small_rdf


def test_derivations_are_qualified_and_rejected_links_are_not_asserted(small_rdf: Graph) -> None:
    proposed = (node_iri(f"{WARD}#r2"), node_iri(f"{PROVINCE}#II/r2"))
    confirmed = (node_iri(f"{WARD}#r1"), node_iri(f"{PROVINCE}#II/r1"))
    rejected = (node_iri(f"{WARD}#r3"), node_iri(f"{PROVINCE}#II/r3"))
    for (child, parent), status in ((proposed, "proposed"), (confirmed, "confirmed")):
        assert (child, PROV.wasDerivedFrom, parent) in small_rdf
        derivation = small_rdf.value(child, PROV.qualifiedDerivation)
        assert (derivation, RDF.type, PROV.Derivation) in small_rdf
        assert small_rdf.value(derivation, PROV.entity) == parent
        assert small_rdf.value(derivation, PKG.status) == Literal(status)
        score = small_rdf.value(derivation, PKG.score)
        assert isinstance(score, Literal) and score.datatype == XSD.decimal and 0 < score.toPython() <= 1
        assert small_rdf.value(derivation, PKG.method) is not None
        assert small_rdf.value(derivation, PKG.evidence) is not None
    child, parent = rejected
    assert (child, PROV.wasDerivedFrom, None) not in small_rdf
    assert (child, PROV.qualifiedDerivation, None) not in small_rdf
    record = small_rdf.value(child, PKG.rejectedDerivation)
    assert record == derivation_iri(f"{WARD}#r3", f"{PROVINCE}#II/r3")
    assert (record, RDF.type, PKG.RejectedDerivation) in small_rdf
    assert (record, RDF.type, PROV.Derivation) not in small_rdf
    assert small_rdf.value(record, PKG.rejectedEntity) == parent
    assert small_rdf.value(record, PKG.status) == Literal("rejected")
    assert small_rdf.value(record, PKG.reason) == Literal("sáng kiến riêng của phường")


# --- IRIs ---------------------------------------------------------------------------------

def test_iris_follow_the_node_ids() -> None:
    assert node_iri("ubnd-tinh-lai-chau/2026/2233-kh-ubnd") == URIRef(BASE + "ubnd-tinh-lai-chau/2026/2233-kh-ubnd")
    assert node_iri("ubnd-tinh-lai-chau/2026/2233-kh-ubnd#II/1/a") == URIRef(
        BASE + "ubnd-tinh-lai-chau/2026/2233-kh-ubnd/II/1/a")
    assert node_iri("agency:so-y-te") == URIRef(BASE + "agency/so-y-te")


def test_what_an_iri_cannot_hold_is_percent_encoded() -> None:
    iri = str(node_iri('doc/2026/x#mục "1" <a>|b#c'))
    assert iri == BASE + "doc/2026/x/m%E1%BB%A5c%20%221%22%20%3Ca%3E%7Cb%23c"
    Graph().parse(data=f"<{iri}> <http://e/p> \"1\" .", format="nt")


def test_ids_that_would_share_an_iri_are_an_export_error() -> None:
    G = nx.MultiDiGraph()
    G.add_node("a/2026/x#1", id="a/2026/x#1", kind="section", label="1", text="1", document="a/2026/x", path="1")
    G.add_node("a/2026/x/1", id="a/2026/x/1", kind="document", label="x", placeholder=True)
    with pytest.raises(ExportError, match="share the IRI"):
        to_rdf(G)


def test_unknown_node_kinds_and_relations_are_export_errors() -> None:
    G = nx.MultiDiGraph()
    G.add_node("x", id="x", kind="person", label="x")
    with pytest.raises(ExportError, match="unknown kind 'person'"):
        to_rdf(G)
    G = nx.MultiDiGraph()
    G.add_node("a", id="a", kind="document", label="a")
    G.add_edge("a", "a", key="amends", relation="amends")
    with pytest.raises(ExportError, match="unknown relation 'amends'"):
        to_rdf(G)


def test_direct_ntriples_equal_the_rdflib_graph(seed_graph: nx.MultiDiGraph) -> None:
    from plankg.exports.rdf import to_ntriples

    direct = Graph().parse(data=to_ntriples(seed_graph).decode("utf-8"), format="nt")
    assert isomorphic(direct, to_rdf(seed_graph))


@given(st.text(st.sampled_from("az09AZ/-_.~#@+%: ?&=ăđưỦ\u0301\x7f"), max_size=16))
def test_an_iri_quotes_an_id_as_urllib_does(node: str) -> None:
    # The ASCII fast path gives urllib's bytes: safe characters kept, the others %XX (upper case).
    from urllib.parse import quote

    for prefix, expected in (("agency:", "agency/" + quote(node, safe="/-_.~")),
                             ("", quote(node.replace("#", "/", 1), safe="/-_.~"))):
        if prefix or not node.startswith("agency:"):
            assert str(node_iri(prefix + node)) == BASE + expected


@pytest.mark.parametrize(("term", "predicate", "expected"), [
    (f"<{RDF.type}>", True, "a"),
    (f"<{RDF.type}>", False, f"<{RDF.type}>"),  # no rdf: prefix is declared
    (f"<{PKG.leadAgency}>", True, "pkg:leadAgency"),
    (f"<{BASE}ubnd/2026/5-kh/I/1>", False, f"<{BASE}ubnd/2026/5-kh/I/1>"),  # not a local name: as it is
    (f"<{PKG}a/b>", False, f"<{PKG}a/b>"),
    (f'"true"^^<{XSD.boolean}>', False, "true"),
    (f'"2026-12-31"^^<{XSD.date}>', False, '"2026-12-31"^^xsd:date'),
    ('"Sở Y tế"@vi', False, '"Sở Y tế"@vi'),
])
def test_a_term_in_turtle(term: str, predicate: bool, expected: str) -> None:
    assert _turtle(term, predicate) == expected


def test_every_recurrence_the_reader_gives_has_a_term() -> None:
    # The deadline reader's recurrences ("định kỳ 6 tháng" is semiannual) each have an
    # individual in the ontology and in the export: an unknown one stops the RDF export.
    from plankg.exports.rdf import _RECURRENCE_TERMS
    from plankg.loaders.deadlines import _RECURRENCES

    assert set(_RECURRENCE_TERMS) == set(_RECURRENCES)
    from plankg.ontology import load_ontology

    ontology = load_ontology()
    for term in _RECURRENCE_TERMS.values():
        assert (term, RDF.type, PKG.Recurrence) in ontology
