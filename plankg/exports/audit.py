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

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from rdflib import Graph as RDFGraph
from rdflib import URIRef
from rdflib.namespace import RDF, SH

from plankg.exports.rdf import node_iri, to_rdf
from plankg.i18n import N_, _, ngettext
from plankg.model import Level, LinkStatus, NodeKind, Relation
from plankg.ontology import load_shapes

if TYPE_CHECKING:
    from plankg.graph.build import Graph

__all__ = ["RULES", "AuditReport", "Rule", "Violation", "audit", "audit_store", "format_audit"]

#: Namespace of the shapes in shapes.ttl; a shape's local name is its rule id.
SHAPES = "https://w3id.org/plankg/shapes#"


@dataclass(frozen=True)
class Rule:
    """One audit rule, named in English and Vietnamese.

    ``severity`` is ``"error"`` (the task or document cannot be acted on as written: no lead,
    no text, no deadline, no authority, a deadline past its parent's, a document applying a
    later one) or ``"warning"`` (worth a look: a collective lead, a missing product, a task
    with no higher source, which may be a local initiative).
    """

    id: str
    name: str
    name_vi: str
    severity: str = "error"

    def __str__(self) -> str:
        """The rule as reports name it: its Vietnamese name, then its name in the reader's language."""
        return _("{name_vi} ({name})").format(name_vi=self.name_vi, name=_(self.name))

    def tag(self, message: str) -> str:
        """``message`` followed by the rule's names, as the SHACL shapes write theirs."""
        return _("{message} ({name_vi}: {name}).").format(message=message, name_vi=self.name_vi, name=_(self.name))


#: Every rule, in report order: the six SHACL shapes, then the graph checks.
RULES: dict[str, Rule] = {rule.id: rule for rule in (
    Rule("clear-who", N_("clear who"), "rõ người"),
    Rule("clear-what", N_("clear what"), "rõ việc"),
    Rule("clear-when", N_("clear deadline"), "rõ thời gian"),
    Rule("clear-authority", N_("clear authority"), "rõ thẩm quyền"),
    Rule("clear-responsibility", N_("clear responsibility"), "rõ trách nhiệm", "warning"),
    Rule("clear-product", N_("clear product"), "rõ sản phẩm", "warning"),
    Rule("deadline-within-parent", N_("deadline within the parent's"), "thời hạn trong hạn của nhiệm vụ cấp trên"),
    Rule("orphan-task", N_("traceable to a higher task"), "rõ nguồn gốc", "warning"),
    Rule("applies-earlier-document", N_("applies an earlier document"), "thực hiện văn bản ban hành trước"),
)}

#: The sh:message of each shape in shapes.ttl, marked for the catalogue: findings are shown
#: in the reader's language (tests/test_i18n.py keeps this list equal to the shapes').
SHAPE_MESSAGES = (
    N_("The task names no lead agency (rõ người: clear who)."),
    N_("The task has no text saying what is to be done (rõ việc: clear what)."),
    N_("The task has no deadline (rõ thời gian: clear deadline)."),
    N_("The task's document names no issuing authority (rõ thẩm quyền: clear authority)."),
    N_("The task's lead is a collective phrase, not an accountable agency (rõ trách nhiệm: clear responsibility)."),
    N_("The document states products, but not for this task (rõ sản phẩm: clear product)."),
)

#: Severities as reports show them.
SEVERITIES = {"error": N_("error"), "warning": N_("warning")}


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

    @property
    def errors(self) -> int:
        """Findings of severity "error" (``plankg check`` exits 1 only when there are some)."""
        return sum(1 for v in self.violations if v.rule.severity == "error")

    def counts(self) -> dict[str, int]:
        """Number of violations per rule id, in :data:`RULES` order (rules with none left out)."""
        found = Counter(v.rule.id for v in self.violations)
        return {rule: found[rule] for rule in RULES if found[rule]}

    def select(self, *, rules: Iterable[str] = (), documents: Iterable[str] = ()) -> AuditReport:
        """The report restricted to some rules and documents (all when none are given)."""
        wanted, within = set(rules), set(documents)
        kept = tuple(v for v in self.violations
                     if (not wanted or v.rule.id in wanted) and (not within or v.document in within))
        return replace(self, violations=kept)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``plankg check --json``: totals, every rule's count (zero included), findings."""
        found = Counter(v.rule.id for v in self.violations)
        return {
            "tasks": self.tasks, "documents": self.documents, "errors": self.errors,
            "warnings": len(self.violations) - self.errors,
            "rules": [{"id": r.id, "name": r.name, "name_vi": r.name_vi, "severity": r.severity, "count": found[r.id]}
                      for r in RULES.values()],
            "violations": [{"node": v.node, "document": v.document, "rule": v.rule.id, "severity": v.rule.severity,
                            "message": v.message} for v in self.violations],
        }


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


# --- the same rules as SQL over the workspace's store -------------------------------------
#
# pySHACL over the RDF export is the reference (``audit``), and stays available; it is far too
# slow for a national workspace. Each query below states one shape of shapes.ttl (or one graph
# check) over the store's tables; tests/test_audit.py checks that both engines find the same.

_TASKS = "FROM nodes n WHERE n.kind = 'task' AND json_extract(n.data, '$.part') IN ('tasks', 'organisation')"
_EMPTY = "coalesce(json_extract(n.data, '$.{field}'), '') = ''"
_SQL_RULES: dict[str, str] = {
    # sh:path pkg:leadAgency ; sh:minCount 1
    "clear-who": f"SELECT n.id {_TASKS} AND NOT EXISTS "
                 "(SELECT 1 FROM edges e WHERE e.source = n.id AND e.key = 'lead')",
    # sh:path dcterms:description ; sh:minCount 1
    "clear-what": f"SELECT n.id {_TASKS} AND " + _EMPTY.format(field="text"),
    # sh:path pkg:deadlineText ; sh:minCount 1
    "clear-when": f"SELECT n.id {_TASKS} AND " + _EMPTY.format(field="deadline_text"),
    # sh:path ( [ sh:oneOrMorePath eli:is_part_of ] eli:passed_by ) ; sh:minCount 1
    "clear-authority": f"SELECT n.id {_TASKS} AND NOT EXISTS (SELECT 1 FROM edges e WHERE "
                       "e.source = json_extract(n.data, '$.document') AND e.key = 'issued_by')",
    # sh:path pkg:leadAgency ; sh:not [ sh:class pkg:CollectiveAgency ]: one result per such lead
    "clear-responsibility": "SELECT n.id FROM nodes n JOIN edges e ON e.source = n.id JOIN nodes a ON a.id = e.target "
                            "WHERE n.kind = 'task' AND json_extract(n.data, '$.part') IN ('tasks', 'organisation') "
                            "AND e.key = 'lead' AND json_extract(a.data, '$.agency_kind') = 'collective'",
    # the SPARQL constraint: no product, while another task of the document states one
    "clear-product": f"SELECT n.id {_TASKS} AND " + _EMPTY.format(field="product")
                     + " AND json_extract(n.data, '$.document') IN (SELECT json_extract(data, '$.document') FROM nodes "
                       "WHERE kind = 'task' AND coalesce(json_extract(data, '$.product'), '') <> '')",
}
_SQL_LATE = ("SELECT e.source, e.target, json_extract(c.data, '$.deadline_end'), "
             "json_extract(p.data, '$.deadline_end') "
             "FROM edges e JOIN nodes c ON c.id = e.source JOIN nodes p ON p.id = e.target "
             "WHERE e.key = 'derived_from' AND coalesce(json_extract(e.data, '$.status'), '') <> 'rejected' "
             "AND json_extract(c.data, '$.deadline_end') > json_extract(p.data, '$.deadline_end')")
_SQL_ORPHANS = (f"SELECT n.id, json_extract(n.data, '$.document') {_TASKS} AND NOT EXISTS "
                "(SELECT 1 FROM edges e WHERE e.source = n.id AND e.key = 'derived_from' "
                "AND coalesce(json_extract(e.data, '$.status'), '') <> 'rejected') "
                "AND EXISTS (SELECT 1 FROM nodes d WHERE d.id = json_extract(n.data, '$.document') "
                "AND coalesce(json_extract(d.data, '$.level'), '') <> 'national' "
                "AND NOT coalesce(json_extract(d.data, '$.placeholder'), 0))")
_SQL_APPLIES = ("SELECT e.source, e.target, json_extract(c.data, '$.date'), json_extract(p.data, '$.date') "
                "FROM edges e JOIN nodes c ON c.id = e.source JOIN nodes p ON p.id = e.target "
                "WHERE e.key = 'applies' AND json_extract(p.data, '$.date') > json_extract(c.data, '$.date')")


def audit_store(path: Any, *, format_version: int) -> AuditReport:
    """:func:`audit` as SQL over a workspace's graph store (``graph.sqlite``), without loading
    the graph or its RDF: the same rules, the same findings, in seconds at national scale."""
    from plankg.graph import store

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return store.select(path, sql, format_version=format_version)

    messages = _shape_messages()
    documents = {n: json.loads(d) for n, d in rows("SELECT id, data FROM nodes WHERE kind = 'document'")}
    owner = dict(rows("SELECT id, json_extract(data, '$.document') FROM nodes WHERE kind = 'task'"))
    violations = [Violation(node, owner.get(node), RULES[rule], _(messages[rule]))
                  for rule, sql in _SQL_RULES.items() for (node,) in rows(sql)]
    late = RULES["deadline-within-parent"]
    violations += [Violation(child, owner.get(child), late, late.tag(_late(end, parent, parent_end)))
                   for child, parent, end, parent_end in rows(_SQL_LATE)]
    orphan = RULES["orphan-task"]
    violations += [Violation(node, document, orphan, orphan.tag(_(_ORPHAN))) for node, document in rows(_SQL_ORPHANS)]
    earlier = RULES["applies-earlier-document"]
    violations += [Violation(doc, doc, earlier, earlier.tag(_earlier(date, parent, parent_date)))
                   for doc, parent, date, parent_date in rows(_SQL_APPLIES)]
    order = {rule: i for i, rule in enumerate(RULES)}
    violations.sort(key=lambda v: (v.document or "", v.node, order[v.rule.id], v.message))
    loaded = sum(1 for d in documents.values() if not d.get("placeholder"))
    labels = {n: str(d.get("label") or n) for n, d in documents.items()}
    return AuditReport(tuple(violations), len(owner), loaded, labels)


def _shape_messages() -> dict[str, str]:
    """Each shape's English sh:message, by rule id: the SQL engine words its findings alike."""
    shapes = load_shapes()
    return {str(shape)[len(SHAPES):]: str(message) for shape, message in shapes.subject_objects(SH.message)
            if str(shape).startswith(SHAPES)}


_ORPHAN = N_("The task derives from no higher-level task: a local initiative, or a missing link")


def _late(end: str, parent: str, parent_end: str) -> str:
    return _("Due {end}, after the task it derives from ({parent}), due {parent_end}").format(
        end=end, parent=parent, parent_end=parent_end)


def _earlier(date: str, parent: str, parent_date: str) -> str:
    return _("Issued {date}, but applies {parent}, issued later ({parent_date})").format(
        date=date, parent=parent, parent_date=parent_date)


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

    _conforms, results, _report = pyshacl.validate(rdf, shacl_graph=load_shapes(), inference="none", advanced=False)
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
        yield Violation(node, _document_of(G, node), RULES[str(shape)[len(SHAPES):]], _(str(message)))


def _deadlines_within_parents(G: Graph) -> Iterable[Violation]:
    rule = RULES["deadline-within-parent"]
    for child, parent, _data in sorted(_links(G), key=lambda link: link[:2]):
        end, parent_end = G.nodes[child].get("deadline_end"), G.nodes[parent].get("deadline_end")
        if end and parent_end and end > parent_end:
            yield Violation(child, _document_of(G, child), rule, rule.tag(_late(end, parent, parent_end)))


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
        yield Violation(node, data["document"], rule, rule.tag(_(_ORPHAN)))


def _applies_later_documents(G: Graph) -> Iterable[Violation]:
    rule = RULES["applies-earlier-document"]
    for doc, parent, key in sorted(G.edges(keys=True)):
        if key != Relation.APPLIES.value:
            continue
        date, parent_date = G.nodes[doc].get("date"), G.nodes[parent].get("date")
        if date and parent_date and parent_date > date:
            yield Violation(doc, doc, rule, rule.tag(_earlier(date, parent, parent_date)))


def _links(G: Graph) -> list[tuple[str, str, dict[str, Any]]]:
    """``derived_from`` edges that are not rejected."""
    return [(u, v, d) for u, v, k, d in G.edges(keys=True, data=True)
            if k == Relation.DERIVED_FROM.value and d.get("status") != LinkStatus.REJECTED.value]


def format_audit(report: AuditReport) -> str:
    """A readable listing: totals, every rule with its count (zero included), then the
    violations grouped by document.

    >>> v = Violation("d#1", "d", RULES["clear-who"], "The task names no lead agency (rõ người: clear who).")
    >>> print(format_audit(AuditReport((v,), tasks=1, documents=1, labels={"d": "Kế hoạch 5/KH-UBND"})))
    Audit of 1 task in 1 document: 1 violation (1 error, 0 warnings)
      error    rõ người (clear who): 1
      error    rõ việc (clear what): 0
      error    rõ thời gian (clear deadline): 0
      error    rõ thẩm quyền (clear authority): 0
      warning  rõ trách nhiệm (clear responsibility): 0
      warning  rõ sản phẩm (clear product): 0
      error    thời hạn trong hạn của nhiệm vụ cấp trên (deadline within the parent's): 0
      warning  rõ nguồn gốc (traceable to a higher task): 0
      error    thực hiện văn bản ban hành trước (applies an earlier document): 0
    <BLANKLINE>
    Kế hoạch 5/KH-UBND [d]
      d#1: The task names no lead agency (rõ người: clear who).
    """
    count = len(report.violations)
    tasks = ngettext("{count} task", "{count} tasks", report.tasks).format(count=report.tasks)
    documents = ngettext("{count} document", "{count} documents", report.documents).format(count=report.documents)
    if report.ok:
        return _("Audit of {tasks} in {documents}: no violations").format(tasks=tasks, documents=documents)
    warnings = count - report.errors
    lines = [_("Audit of {tasks} in {documents}: {violations} ({errors}, {warnings})").format(
        tasks=tasks, documents=documents,
        violations=ngettext("{count} violation", "{count} violations", count).format(count=count),
        errors=ngettext("{count} error", "{count} errors", report.errors).format(count=report.errors),
        warnings=ngettext("{count} warning", "{count} warnings", warnings).format(count=warnings))]
    found = Counter(v.rule.id for v in report.violations)
    width = max(8, *(len(_(severity)) for severity in SEVERITIES.values()))
    lines += [f"  {_(SEVERITIES[rule.severity]):<{width}} {rule}: {found[rule.id]}" for rule in RULES.values()]
    current: str | None = None
    for v in report.violations:
        document = v.document or "-"
        if document != current:
            lines += ["", f"{report.labels.get(document, document)} [{document}]"]
            current = document
        lines.append(f"  {v.node}: {v.message}")
    return "\n".join(lines)
