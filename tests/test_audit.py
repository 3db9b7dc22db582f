"""The "6 rõ" audit: SHACL shapes plus the graph checks, on the seed corpus and the small graph."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from small_graph import PROVINCE, WARD, build_small_graph

from plankg.cli import cli
from plankg.exports.audit import RULES, AuditReport, audit, audit_store, format_audit
from plankg.graph import build_graph
from plankg.graph.store import write_graph
from plankg.graph.workspace import FORMAT_VERSION, build_workspace, load_graph
from plankg.loaders import load_text
from plankg.model import DocumentRecord
from plankg.synthetic import write_cascade

NATIONAL_DECISION = """\
THỦ TƯỚNG CHÍNH PHỦ
Số: 5/QĐ-TTg
Hà Nội, ngày 01 tháng 02 năm 2026

QUYẾT ĐỊNH
Về việc xây dựng cơ sở dữ liệu

| STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |
| 1 | Xây dựng cơ sở dữ liệu quốc gia về dân cư | Bộ Công an | Năm 2026 |
"""


@pytest.fixture(scope="module")
def seed_graph(seed_records: dict[str, DocumentRecord]) -> nx.MultiDiGraph:
    return build_graph(seed_records.values())


@pytest.fixture(scope="module")
def seed_report(seed_graph: nx.MultiDiGraph) -> AuditReport:
    return audit(seed_graph)


def found(report: AuditReport, rule: str) -> set[str]:
    return {v.node for v in report.violations if v.rule.id == rule}


def test_seed_tasks_without_lead_or_deadline_are_found(seed_graph: nx.MultiDiGraph, seed_report: AuditReport) -> None:
    tasks = {n: d for n, d in seed_graph.nodes(data=True) if d["kind"] == "task"}
    assigning = {n: d for n, d in tasks.items() if d["part"] in ("tasks", "organisation")}
    assert found(seed_report, "clear-who") == {n for n, d in assigning.items() if not d["lead"]}
    assert found(seed_report, "clear-when") == {n for n, d in assigning.items() if not d["deadline_text"]}
    assert found(seed_report, "clear-who") and found(seed_report, "clear-when")
    assert not seed_report.ok
    assert seed_report.tasks == len(tasks)


def test_purpose_items_are_not_audited_as_assignments(seed_graph: nx.MultiDiGraph,
                                                      seed_report: AuditReport) -> None:
    purpose = {n for n, d in seed_graph.nodes(data=True) if d["kind"] == "task" and d["part"] == "purpose"}
    assert purpose
    assert not purpose & {v.node for v in seed_report.violations}


def test_every_violation_names_its_node_document_and_rule(seed_graph: nx.MultiDiGraph,
                                                          seed_report: AuditReport) -> None:
    for v in seed_report.violations:
        assert v.node in seed_graph and v.document in seed_graph
        assert v.rule is RULES[v.rule.id] and v.rule.name and v.rule.name_vi
        assert f"({v.rule.name_vi}: {v.rule.name})" in v.message
    keys = [(v.document or "", v.node) for v in seed_report.violations]
    assert keys == sorted(keys)


def test_small_graph_breaks_each_rule_where_expected() -> None:
    report = audit(build_small_graph())
    assert {(v.node, v.rule.id) for v in report.violations} == {
        (f"{PROVINCE}#II/r1", "orphan-task"),
        (f"{PROVINCE}#II/r2", "clear-responsibility"),  # led by "các sở, ngành có liên quan"
        (f"{PROVINCE}#II/r2", "clear-product"),  # the plan states products, not for this task
        (f"{PROVINCE}#II/r2", "orphan-task"),
        (f"{PROVINCE}#II/r3", "orphan-task"),
        (f"{WARD}#r2", "clear-who"),
        (f"{WARD}#r2", "deadline-within-parent"),  # Quý I/2027, after its parent's Quý III/2026
        (f"{WARD}#r3", "clear-when"),
        (f"{WARD}#r3", "orphan-task"),  # its only link was rejected by a person
    }
    assert report.counts()["orphan-task"] == 4


def test_a_document_applying_a_later_document_is_found() -> None:
    G = build_small_graph()
    G.nodes[WARD]["date"] = "2026-03-01"  # before the province plan it applies (2026-03-10)
    violations = [v for v in audit(G).violations if v.rule.id == "applies-earlier-document"]
    assert [(v.node, v.document) for v in violations] == [(WARD, WARD)]
    assert PROVINCE in violations[0].message and "2026-03-01" in violations[0].message


def test_a_document_without_an_issuer_gives_no_authority() -> None:
    G = build_graph([load_text("Số: 5/KH-UBND\nKẾ HOẠCH\nThử\n1. Rà soát hồ sơ.", source="a.txt")])
    assert found(audit(G), "clear-authority") == {n for n, d in G.nodes(data=True) if d["kind"] == "task"}


def test_a_clear_national_decision_passes() -> None:
    report = audit(build_graph([load_text(NATIONAL_DECISION, source="qd.txt")]))
    assert report.ok
    assert format_audit(report) == "Audit of 1 task in 1 document: no violations"


def test_format_audit_lists_rules_in_both_languages_grouped_by_document(seed_report: AuditReport) -> None:
    text = format_audit(seed_report)
    lines = text.splitlines()
    assert lines[0] == (f"Audit of {seed_report.tasks} tasks in {seed_report.documents} documents: "
                        f"{len(seed_report.violations)} violations ({seed_report.errors} errors, "
                        f"{len(seed_report.violations) - seed_report.errors} warnings)")
    assert "  error    rõ người (clear who): 94" in lines and "  error    rõ việc (clear what): 0" in lines
    assert lines[1:10] == [f"  {r.severity:<8} {r}: {sum(1 for v in seed_report.violations if v.rule == r)}"
                           for r in RULES.values()]
    for v in seed_report.violations:
        assert f"  {v.node}: {v.message}" in lines
    documents = {v.document for v in seed_report.violations}
    assert sum(1 for line in lines if line.endswith("]") and not line.startswith(" ")) == len(documents)


# --- the SQL engine agrees with pySHACL ------------------------------------------------------

def _by_sql(G: nx.MultiDiGraph, tmp_path: Path) -> AuditReport:
    path = tmp_path / "graph.sqlite"
    path.unlink(missing_ok=True)
    write_graph(path, G, format_version=FORMAT_VERSION)
    return audit_store(path, format_version=FORMAT_VERSION)


def _variants() -> dict[str, nx.MultiDiGraph]:
    late = build_small_graph()
    late.nodes[WARD]["date"] = "2026-03-01"
    return {"small": build_small_graph(), "applies-later": late,
            "no-issuer": build_graph([load_text("Số: 5/KH-UBND\nKẾ HOẠCH\nThử\n1. Rà soát hồ sơ.", source="a.txt")]),
            "clear": build_graph([load_text(NATIONAL_DECISION, source="qd.txt")])}


@pytest.mark.parametrize("name", ["small", "applies-later", "no-issuer", "clear"])
def test_the_sql_engine_finds_what_shacl_finds(name: str, tmp_path: Path) -> None:
    G = _variants()[name]
    assert _by_sql(G, tmp_path) == audit(G)


def test_the_sql_engine_finds_what_shacl_finds_on_the_seeds_and_a_cascade(
        seed_graph: nx.MultiDiGraph, seed_report: AuditReport, tmp_path: Path) -> None:
    sql = _by_sql(seed_graph, tmp_path)
    assert sql == seed_report and len(sql.violations) > 300
    write_cascade(tmp_path / "plans", provinces=2, wards=2, variants=1, local=2)
    build_workspace([tmp_path / "plans"], tmp_path / "ws")
    cascade = load_graph(tmp_path / "ws")
    assert audit_store(tmp_path / "ws" / "graph.sqlite", format_version=FORMAT_VERSION) == audit(cascade)


def test_check_uses_sql_by_default_and_shacl_on_request(seed_workspace: Path) -> None:
    runner = CliRunner()
    fast = runner.invoke(cli, ["check", "--workspace", str(seed_workspace)])
    slow = runner.invoke(cli, ["check", "--engine", "shacl", "--workspace", str(seed_workspace)])
    assert fast.exit_code == slow.exit_code == 1
    assert fast.stdout == slow.stdout and fast.stdout.startswith("Audit of 214 tasks in 5 documents: ")


def test_check_filters_by_rule_and_document_and_exits_1_only_on_errors(seed_workspace: Path) -> None:
    from plankg.cli import RULE_IDS

    assert RULE_IDS == tuple(RULES)
    runner = CliRunner()
    ws = ["--workspace", str(seed_workspace)]
    whole = runner.invoke(cli, ["check", "--json", *ws])
    data = json.loads(whole.stdout)
    assert whole.exit_code == 1 and data["errors"] == 246 and data["warnings"] == 137
    assert [r["id"] for r in data["rules"]] == list(RULES) and {r["count"] for r in data["rules"]} >= {0}
    assert len(data["violations"]) == 383 and set(data["violations"][0]) == {"node", "document", "rule", "severity",
                                                                            "message"}
    warnings = runner.invoke(cli, ["check", "--rule", "orphan-task", "--rule", "clear-responsibility", "--json", *ws])
    found = json.loads(warnings.stdout)
    assert warnings.exit_code == 0 and found["errors"] == 0 and found["warnings"] == 137
    assert {v["rule"] for v in found["violations"]} == {"orphan-task", "clear-responsibility"}
    plan = runner.invoke(cli, ["check", "--document", "2233/KH-UBND", "--json", *ws])
    assert {v["document"] for v in json.loads(plan.stdout)["violations"]} == {"ubnd-tinh-lai-chau/2026/2233-kh-ubnd"}
    assert runner.invoke(cli, ["check", "--rule", "no-such-rule", *ws]).exit_code == 2
