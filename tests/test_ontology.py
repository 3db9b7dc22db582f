"""The ontology: plankg.ttl and the PKG namespace class agree, and every exported term is declared."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from small_graph import build_small_graph

from plankg.exports.audit import RULES
from plankg.exports.rdf import to_rdf
from plankg.graph import build_graph
from plankg.model import DocumentRecord
from plankg.ontology import ELI, ONTOLOGY_IRI, PKG, load_ontology, load_shapes, resource

DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)
NS = str(PKG)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def seed_rdf(seed_records: dict[str, DocumentRecord]) -> Graph:
    return to_rdf(build_graph(seed_records.values()))


def declared_terms(ontology: Graph) -> set[URIRef]:
    return {s for kind in DECLARATIONS for s in ontology.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(NS)}


def used_terms(rdf: Graph) -> set[URIRef]:
    return {term for triple in rdf for term in triple if isinstance(term, URIRef) and str(term).startswith(NS)}


def test_declared_terms_are_the_attributes_of_pkg(ontology: Graph) -> None:
    assert declared_terms(ontology) == set(dir(PKG))


def test_pkg_refuses_undeclared_terms() -> None:
    with pytest.raises(AttributeError):
        _ = PKG.leadAgencies


@pytest.mark.parametrize("rdf_name", ["seed", "small"])
def test_every_exported_pkg_term_is_declared(ontology: Graph, seed_rdf: Graph, rdf_name: str) -> None:
    rdf = seed_rdf if rdf_name == "seed" else to_rdf(build_small_graph())
    used = used_terms(rdf)
    assert used, "the export uses the project's terms"
    assert used <= declared_terms(ontology), used - declared_terms(ontology)


def test_every_term_has_an_english_label_and_comment_and_a_vietnamese_name(ontology: Graph) -> None:
    for term in sorted(declared_terms(ontology)):
        for prop, lang in ((RDFS.label, "en"), (RDFS.comment, "en"), (SKOS.altLabel, "vi")):
            values = [o for o in ontology.objects(term, prop) if isinstance(o, Literal) and o.language == lang]
            assert len(values) == 1, (term, prop, lang)
        assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology


def test_the_ontology_aligns_to_the_standards(ontology: Graph) -> None:
    assert (PKG.Task, RDFS.subClassOf, ELI.LegalResourceSubdivision) in ontology
    assert (PKG.CollectiveAgency, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")) in ontology
    assert (PKG.attachedTo, RDFS.subPropertyOf, ELI.related_to) in ontology
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    # A rejected link must not be readable as provenance.
    assert not list(ontology.objects(PKG.RejectedDerivation, RDFS.subClassOf))
    assert not list(ontology.objects(PKG.rejectedDerivation, RDFS.subPropertyOf))


def test_eli_implements_is_never_used(seed_rdf: Graph) -> None:
    texts = [resource(name).read_text(encoding="utf-8") for name in ("plankg.ttl", "shapes.ttl")]
    texts += [entry.read_text(encoding="utf-8") for entry in resource("queries").iterdir()]
    assert not any("eli:implements" in t or str(ELI) + "implements" in t for t in texts)
    assert not any(ELI.implements in triple for triple in seed_rdf)


def test_shapes_name_every_six_ro_rule_in_english_and_vietnamese() -> None:
    shapes = load_shapes()
    names = {}
    for shape in shapes.subjects(SH.targetClass, PKG.Task):
        assert isinstance(shape, URIRef)
        rule = RULES[str(shape).rsplit("#", 1)[1]]
        labels = {o.language: str(o) for o in shapes.objects(shape, SH.name) if isinstance(o, Literal)}
        assert labels == {"en": rule.name, "vi": rule.name_vi}
        message = str(shapes.value(shape, SH.message))
        assert rule.name_vi in message and rule.name in message
        names[rule.name_vi] = shape
    assert sorted(names) == sorted(["rõ người", "rõ việc", "rõ thời gian", "rõ thẩm quyền", "rõ trách nhiệm",
                                    "rõ sản phẩm"])
