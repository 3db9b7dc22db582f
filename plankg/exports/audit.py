"""The "6 rõ" audit: is every task clear about who, what, when, authority, responsibility, product?

Government guidance asks that every assigned task be "6 rõ": rõ người (clear who), rõ việc
(clear what), rõ thời gian (clear deadline), rõ thẩm quyền (clear authority), rõ trách
nhiệm (clear responsibility), rõ sản phẩm (clear product). Those six are SHACL shapes
(``plankg/ontology/shapes.ttl``) validated with pyshacl against the graph's RDF export.
Three checks that need comparisons across links are made on the graph itself:

* a derived task must not be due later than the task it derives from;
* a task of a loaded document below the national level should derive from some higher
  task (an orphan may be a local initiative, or a link the inference missed);
* a document cannot apply a document issued after it (a wrong date or a wrong match).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Graph as RDFGraph
from rdflib import URIRef
from rdflib.namespace import RDF, SH

from plankg.exports.rdf import node_iri, to_rdf
from plankg.model import Level, LinkStatus, NodeKind, Relation
from plankg.ontology import load_shapes

if TYPE_CHECKING:
    from plankg.graph.build import Graph

__all__ = ["RULES", "AuditReport", "Rule", "Violation", "audit", "format_audit"]

#: Namespace of the shapes in shapes.ttl; a shape's local name is its rule id.
SHAPES = "https://w3id.org/plankg/shapes#"


@dataclass(frozen=True)
class Rule:
    """One audit rule, named in English and Vietnamese."""

    id: str
    name: str
    name_vi: str

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.name})"

    def tag(self, message: str) -> str:
        """``message`` followed by the rule's names, as the SHACL shapes write theirs."""
        return f"{message} ({self.name_vi}: {self.name})."


#: Every rule, in report order: the six SHACL shapes, then the graph checks.
RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("clear-who", "clear who", "rõ người"),
    Rule("clear-what", "clear what", "rõ việc"),
    Rule("clear-when", "clear deadline", "rõ thời gian"),
    Rule("clear-authority", "clear authority", "rõ thẩm quyền"),
    Rule("clear-responsibility", "clear responsibility", "rõ trách nhiệm"),
    Rule("clear-product", "clear product", "rõ sản phẩm"),
    Rule("deadline-within-parent", "deadline within the parent's", "thời hạn trong hạn của nhiệm vụ cấp trên"),
    Rule("orphan-task", "traceable to a higher task", "rõ nguồn gốc"),
    Rule("applies-earlier-document", "applies an earlier document", "thực hiện văn bản ban hành trước"),
)}


@dataclass(frozen=True)
class Violation:
    """One finding: which node breaks which rule, and why."""

    node: str
    document: str | None
    rule: Rule
    message: str


@dataclass(frozen=True)
class AuditReport:
    """Every violation found, sorted by document, node and rule; ``labels`` names the documents."""

    violations: tuple[Violation, ...]
    tasks: int
    documents: int
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.violations

    def counts(self) -> dict[str, int]:
        """Number of violations per rule id, in :data:`RULES` order (rules with none left out)."""
        found = Counter(v.rule.id for v in self.violations)
        return {rule: found[rule] for rule in RULES if found[rule]}


def audit(G: Graph, *, rdf: RDFGraph | None = None) -> AuditReport:
    """Audit the tasks and documents of ``G``; ``rdf`` is its RDF export, when already made.

    Examples
    --------
    >>> from plankg.loaders import load_text
    >>> from plankg.graph import build_graph
    >>> G = build_graph([load_text("Số: 5/KH-UBND\\nKẾ HOẠCH\\nThử\\n1. Rà soát hồ sơ.", source="a.txt")])
    >>> report = audit(G)
    >>> report.ok, sorted(report.counts())
    (False, ['clear-authority', 'clear-when', 'clear-who', 'orphan-task'])
    """
    violations = list(_shacl(G, rdf if rdf is not None else to_rdf(G)))
    violations += _deadlines_within_parents(G)
    violations += _orphans(G)
    violations += _applies_later_documents(G)
    order = {rule: i for i, rule in enumerate(RULES)}
    violations.sort(key=lambda v: (v.document or "", v.node, order[v.rule.id], v.message))
    kinds = Counter(d.get("kind") for _, d in G.nodes(data=True))
    documents = sum(1 for _, d in G.nodes(data=True)
                    if d.get("kind") == NodeKind.DOCUMENT.value and not d.get("placeholder"))
    labels = {n: str(d.get("label") or n) for n, d in G.nodes(data=True) if d.get("kind") == NodeKind.DOCUMENT.value}
    return AuditReport(tuple(violations), kinds[NodeKind.TASK.value], documents, labels)


#: Parts whose items assign work. Purpose and requirement items ("Mục đích, yêu cầu") are
#: kept as task nodes so that lower plans can link to them, but they assign nobody: the
#: "6 rõ" and the orphan check do not apply to them.
ASSIGNING_PARTS = frozenset({"tasks", "organisation"})


def _assigns(G: Graph, node: str) -> bool:
    data = G.nodes[node]
    return data.get("kind") != NodeKind.TASK.value or data.get("part") in ASSIGNING_PARTS


def _document_of(G: Graph, node: str) -> str | None:
    data = G.nodes[node]
    return node if data.get("kind") == NodeKind.DOCUMENT.value else data.get("document")


def _shacl(G: Graph, rdf: RDFGraph) -> Iterable[Violation]:
    import pyshacl

    _, results, _ = pyshacl.validate(rdf, shacl_graph=load_shapes(), inference="none", advanced=False)
    assert isinstance(results, RDFGraph)
    nodes = {node_iri(str(n)): str(n) for n in G.nodes}
    for result in sorted(results.subjects(RDF.type, SH.ValidationResult), key=str):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        node = nodes.get(focus) if isinstance(focus, URIRef) else None
        if node is None or not isinstance(shape, URIRef) or not str(shape).startswith(SHAPES):
            raise AssertionError(f"unexpected SHACL result for {focus} from {shape}")
        if not _assigns(G, node):
            continue
        message = results.value(result, SH.resultMessage)
        yield Violation(node, _document_of(G, node), RULES[str(shape)[len(SHAPES):]], str(message))


def _deadlines_within_parents(G: Graph) -> Iterable[Violation]:
    rule = RULES["deadline-within-parent"]
    for child, parent, _ in sorted(_links(G), key=lambda link: link[:2]):
        end, parent_end = G.nodes[child].get("deadline_end"), G.nodes[parent].get("deadline_end")
        if end and parent_end and end > parent_end:
            yield Violation(child, _document_of(G, child), rule,
                            rule.tag(f"Due {end}, after the task it derives from ({parent}), due {parent_end}"))


def _orphans(G: Graph) -> Iterable[Violation]:
    rule = RULES["orphan-task"]
    linked = {child for child, _, _ in _links(G)}
    for node in sorted(G.nodes):
        data = G.nodes[node]
        if data.get("kind") != NodeKind.TASK.value or node in linked or not _assigns(G, node):
            continue
        document = G.nodes[data["document"]]
        if document.get("level") == Level.NATIONAL.value or document.get("placeholder"):
            continue
        yield Violation(node, data["document"], rule,
                        rule.tag("The task derives from no higher-level task: a local initiative, or a missing link"))


def _applies_later_documents(G: Graph) -> Iterable[Violation]:
    rule = RULES["applies-earlier-document"]
    for doc, parent, key in sorted(G.edges(keys=True)):
        if key != Relation.APPLIES.value:
            continue
        date, parent_date = G.nodes[doc].get("date"), G.nodes[parent].get("date")
        if date and parent_date and parent_date > date:
            yield Violation(doc, doc, rule,
                            rule.tag(f"Issued {date}, but applies {parent}, issued later ({parent_date})"))


def _links(G: Graph) -> list[tuple[str, str, dict[str, Any]]]:
    """``derived_from`` edges that are not rejected."""
    return [(u, v, d) for u, v, k, d in G.edges(keys=True, data=True)
            if k == Relation.DERIVED_FROM.value and d.get("status") != LinkStatus.REJECTED.value]


def format_audit(report: AuditReport) -> str:
    """A readable listing: totals per rule, then the violations grouped by document.

    >>> v = Violation("d#1", "d", RULES["clear-who"], "The task names no lead agency (rõ người: clear who).")
    >>> print(format_audit(AuditReport((v,), tasks=1, documents=1, labels={"d": "Kế hoạch 5/KH-UBND"})))
    Audit of 1 task in 1 document: 1 violation
      rõ người (clear who): 1
    <BLANKLINE>
    Kế hoạch 5/KH-UBND [d]
      d#1: The task names no lead agency (rõ người: clear who).
    """
    count = len(report.violations)
    head = (f"Audit of {report.tasks} task{'s' if report.tasks != 1 else ''} in {report.documents} "
            f"document{'s' if report.documents != 1 else ''}: ")
    if report.ok:
        return head + "no violations"
    lines = [head + f"{count} violation{'s' if count != 1 else ''}"]
    lines += [f"  {RULES[rule]}: {n}" for rule, n in report.counts().items()]
    current: str | None = None
    for v in report.violations:
        document = v.document or "-"
        if document != current:
            lines += ["", f"{report.labels.get(document, document)} [{document}]"]
            current = document
        lines.append(f"  {v.node}: {v.message}")
    return "\n".join(lines)
