"""Queries over the graph: lineage, cascade, gaps, agencies, search, show, stats, deadlines.

Most tests use the seed graph without inferred links (``link=False``) and add the
``derived_from`` edges they need by hand, so that they do not depend on the linker's
scores; a few check the linked seed workspace end to end.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from plankg.errors import PlankgError, UnknownNodeError
from plankg.graph.build import build_graph
from plankg.graph.queries import (
    agency_tasks,
    cascade,
    deadlines,
    gaps,
    lineage,
    search,
    show,
    stats,
)
from plankg.graph.workspace import load_graph
from plankg.model import DocumentRecord
from plankg.normalize import fold

WARD = "tinh-lai-chau/ubnd-phuong-doan-ket/2026/kh-ubnd-3a4c2327"
DISTRICT = "tinh-lai-chau/thanh-uy-lai-chau/x/ke-hoach-15d32507"
NATIONAL = "thu-tuong-chinh-phu/2024/ke-hoach-7a8f4a24"
PROVINCE = "ubnd-tinh-lai-chau/2026/2233-kh-ubnd"
DIEN_BIEN = "ban-thuong-vu-tinh-uy-dien-bien/x/ke-hoach-297c479d"


@pytest.fixture(scope="module")
def unlinked(seed_records: dict[str, DocumentRecord]) -> nx.MultiDiGraph:
    return build_graph(seed_records.values(), link=False)


@pytest.fixture()
def G(unlinked: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A fresh copy of the unlinked seed graph, for a test to add links to."""
    return unlinked.copy()


def _task(G: nx.MultiDiGraph, document: str, snippet: str) -> str:
    found = [n for n, d in G.nodes(data=True)
             if d["kind"] == "task" and d["document"] == document and fold(snippet) in fold(d["text"])]
    assert len(found) == 1, (snippet, found)
    return found[0]


def _link(G: nx.MultiDiGraph, child: str, parent: str, score: float = 0.5, status: str = "proposed",
          **extra: Any) -> None:
    G.add_edge(child, parent, key="derived_from", relation="derived_from", score=score, method="test",
               status=status, evidence=extra.pop("evidence", ["quản lý"]), **extra)


def _waste(G: nx.MultiDiGraph) -> tuple[str, str]:
    """The ward task on waste rules and the national task it restates."""
    return (_task(G, WARD, "Thực hiện tốt quy chế quản lý chất thải"),
            _task(G, NATIONAL, "Xây dựng quy chế quản lý chất thải"))


# --- lineage --------------------------------------------------------------------------

def test_lineage_of_a_document_runs_through_placeholders(G: nx.MultiDiGraph) -> None:
    steps = lineage(G, DISTRICT)
    assert [(s.id, s.relation, s.placeholder) for s in steps] == [
        (DISTRICT, None, False),
        ("tinh-uy-lai-chau/2022/21-ctr-tu", "applies", True),
        ("bo-chinh-tri/2022/06-nq-tw", "applies", True),
    ]
    assert [s.level for s in steps] == ["district", "province", "national"]
    assert steps[2].label == "Nghị quyết 06-NQ/TW"
    assert steps[2].text is not None and steps[2].text.startswith("về quy hoạch, xây dựng, quản lý")


def test_lineage_prefers_applies_over_attached_to(G: nx.MultiDiGraph) -> None:
    assert [s.id for s in lineage(G, NATIONAL)] == [NATIONAL, "thu-tuong-chinh-phu/2023/1585-qd-ttg"]


def test_lineage_prefers_the_highest_applied_document(G: nx.MultiDiGraph) -> None:
    assert [s.id for s in lineage(G, PROVINCE)] == [PROVINCE, "van-phong-chinh-phu/2026/130-tb-vpcp"]


def test_lineage_of_a_ward_task(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    _link(G, ward, national, 0.59, evidence=["quy chế quản lý chất thải"])
    steps = lineage(G, ward)
    assert [(s.id, s.kind, s.relation, s.level) for s in steps] == [
        (ward, "task", None, "commune"),
        (national, "task", "derived_from", "national"),
        (NATIONAL, "document", "part_of", "national"),
        ("thu-tuong-chinh-phu/2023/1585-qd-ttg", "document", "applies", "national"),
    ]
    assert (steps[1].score, steps[1].method, steps[1].status, steps[1].evidence) == (
        0.59, "test", "proposed", ("quy chế quản lý chất thải",))
    assert steps[0].text is not None and steps[0].text.startswith("Thực hiện tốt quy chế quản lý chất thải")
    assert (steps[0].document, steps[1].document, steps[2].document) == (WARD, NATIONAL, None)


def test_lineage_follows_several_links_up(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    province = _task(G, PROVINCE, "Cập nhật thông tin về các dự án nguồn điện")
    _link(G, ward, province)
    _link(G, province, national)
    assert [s.id for s in lineage(G, ward)][:4] == [ward, province, national, NATIONAL]


def test_lineage_picks_confirmed_then_highest_score_never_rejected(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    others = [n for n in sorted(G) if G.nodes[n].get("document") == NATIONAL and G.nodes[n]["kind"] == "task"]
    low, high, rejected = [n for n in others if n != national][:3]
    _link(G, ward, low, 0.2)
    _link(G, ward, high, 0.7)
    assert lineage(G, ward)[1].id == high
    _link(G, ward, rejected, 0.99, status="rejected")
    assert lineage(G, ward)[1].id == high
    _link(G, ward, national, 0.1, status="confirmed")
    assert (lineage(G, ward)[1].id, lineage(G, ward)[1].status) == (national, "confirmed")


def test_lineage_stops_at_a_cycle(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    _link(G, ward, national)
    _link(G, national, ward)
    assert [s.id for s in lineage(G, ward)][:3] == [ward, national, NATIONAL]


def test_lineage_of_an_unlinked_task_is_its_document_chain(G: nx.MultiDiGraph) -> None:
    ward, _ = _waste(G)
    assert [(s.id, s.relation) for s in lineage(G, ward)] == [
        (ward, None), (WARD, "part_of"), ("ubnd-tinh-lai-chau/2026/3045-kh-ubnd", "applies")]


def test_lineage_unknown_and_wrong_kind(G: nx.MultiDiGraph) -> None:
    with pytest.raises(UnknownNodeError) as info:
        lineage(G, "no/such#id")
    assert str(info.value) == "unknown node id 'no/such#id'"
    with pytest.raises(PlankgError) as wrong:
        lineage(G, "agency:cong-an-tinh-lai-chau")
    assert str(wrong.value) == ("lineage needs a document, task or target id; "
                                "'agency:cong-an-tinh-lai-chau' is an agency")


def test_seed_ward_task_reaches_the_national_plan(seed_workspace: Path) -> None:
    linked = load_graph(seed_workspace)
    ward, _ = _waste(linked)
    steps = lineage(linked, ward)
    assert steps[1].relation == "derived_from" and steps[1].document == NATIONAL
    assert 0 < (steps[1].score or 0) <= 1 and steps[1].evidence
    assert steps[-1].level == "national"


# --- cascade --------------------------------------------------------------------------

def test_cascade_of_a_document(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    _link(G, ward, national, 0.59)
    G.add_edge("ubnd-tinh-lai-chau/2026/3045-kh-ubnd", NATIONAL, key="applies", relation="applies",
               inferred=True, score=0.77)
    root = cascade(G, NATIONAL)
    assert (root.id, root.relation, root.level) == (NATIONAL, None, "national")
    assert [(c.id, c.relation) for c in root.children] == [
        ("ubnd-tinh-lai-chau/2026/3045-kh-ubnd", "applies"), (national, "part_of")]
    placeholder = root.children[0]
    assert placeholder.placeholder and [c.id for c in placeholder.children] == [WARD]
    entry = root.children[1].children[0]
    assert (entry.id, entry.relation, entry.score, entry.status) == (ward, "derived_from", 0.59, "proposed")
    assert entry.lead == ("Phòng Kinh tế, Hạ tầng và Đô thị phường Đoàn Kết",)
    assert entry.deadline == "Thường xuyên, liên tục trong giai đoạn 2026-2030"
    assert entry.deadline_end == "2030-12-31"


def test_cascade_of_a_task_is_recursive_and_skips_rejected(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    province = _task(G, PROVINCE, "Cập nhật thông tin về các dự án nguồn điện")
    other = _task(G, WARD, "Tăng cường công tác xây dựng lực lượng dân quân tự vệ")
    _link(G, province, national)
    _link(G, ward, province)
    _link(G, other, province, status="rejected")
    root = cascade(G, national)
    assert [(n.id, n.relation) for n in root.walk()] == [
        (national, None), (province, "derived_from"), (ward, "derived_from")]
    assert root.children[0].lead == ("UBND các xã, phường",)


def test_cascade_survives_a_cycle(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    _link(G, ward, national)
    _link(G, national, ward)
    assert [n.id for n in cascade(G, national).walk()] == [national, ward]


def test_cascade_unknown_and_wrong_kind(G: nx.MultiDiGraph) -> None:
    with pytest.raises(UnknownNodeError):
        cascade(G, "nope")
    with pytest.raises(PlankgError, match="is a section"):
        cascade(G, f"{NATIONAL}#I")


def test_seed_cascade_of_the_national_plan(seed_workspace: Path) -> None:
    linked = load_graph(seed_workspace)
    ward, _ = _waste(linked)
    ids = [n.id for n in cascade(linked, NATIONAL).walk()]
    assert ward in ids and WARD in ids


# --- gaps -----------------------------------------------------------------------------

def _national_tasks(G: nx.MultiDiGraph) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d["kind"] == "task" and d["document"] == NATIONAL]


def test_gaps_uncascaded_orphans_unpicked(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    _link(G, ward, national, status="confirmed")  # the ward plan cites no national plan: a person tied them
    found = gaps(G)
    # Tasks the national plan gives to the UBND tỉnh alone are the province's, not a ward's gap.
    for_ward = {t for t in _national_tasks(G) if G.nodes[t]["lead"] != ["UBND tỉnh Lai Châu"]}
    assert len(for_ward) == len(_national_tasks(G)) - 5
    assert {g.task for g in found.uncascaded} == for_ward - {national}
    assert {(g.document, g.lower) for g in found.uncascaded} == {(NATIONAL, WARD)}
    orphan_tasks = {g.task for g in found.orphans}
    assert ward not in orphan_tasks
    assert {g.document for g in found.orphans} == {WARD, DISTRICT, PROVINCE, DIEN_BIEN}
    assert not orphan_tasks & set(_national_tasks(G))
    unpicked = {(g.task, g.agency) for g in found.unpicked}
    assert (f"{PROVINCE}#II/3/d", "UBND các xã, phường") in unpicked
    assert (f"{PROVINCE}#II/5/d", "UBND các xã khu vực biên giới") in unpicked
    assert {(g.document, g.lower) for g in found.unpicked} == {(PROVINCE, WARD)}


def test_one_proposed_link_makes_no_uncited_plan_a_directive(G: nx.MultiDiGraph) -> None:
    # The ward plan cites no national plan. One of its tasks linked to a national task (a
    # shared title or formula may do that) does not make every other national task its gap;
    # two of its tasks linked to the plan's do.
    ward, national = _waste(G)
    _link(G, ward, national)
    assert not gaps(G).uncascaded
    other = next(t for t in sorted(G) if G.nodes[t].get("document") == WARD and t != ward
                 and G.nodes[t]["kind"] == "task")
    _link(G, other, national)
    assert {(g.document, g.lower) for g in gaps(G).uncascaded} == {(NATIONAL, WARD)}


def test_a_commune_task_derived_from_a_task_picks_it_up(G: nx.MultiDiGraph) -> None:
    ward, _ = _waste(G)
    assert f"{PROVINCE}#II/3/d" in {g.task for g in gaps(G).unpicked}
    _link(G, ward, f"{PROVINCE}#II/3/d")
    assert f"{PROVINCE}#II/3/d" not in {g.task for g in gaps(G).unpicked}


def test_gaps_level_filter(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    _link(G, ward, national, status="confirmed")
    commune = gaps(G, level="commune")
    assert {g.document for g in commune.orphans} == {WARD}
    assert len(commune.uncascaded) == len(_national_tasks(G)) - 1 - 5  # less 5 tasks for the UBND tỉnh alone
    province = gaps(G, level="province")
    assert {g.document for g in province.orphans} == {PROVINCE, DIEN_BIEN}
    assert province.uncascaded == province.unpicked == ()
    assert gaps(G, level="national").orphans == ()


def test_gaps_under_a_document_or_task(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    _link(G, ward, national, status="confirmed")
    under = gaps(G, under=NATIONAL)
    assert {g.document for g in under.orphans} == {WARD}  # the ward plan derives from the national plan
    assert len(under.uncascaded) == len(_national_tasks(G)) - 1 - 5  # less 5 tasks for the UBND tỉnh alone
    assert under.unpicked == ()
    other = next(n for n in _national_tasks(G) if n != national)
    assert [g.task for g in gaps(G, under=other).uncascaded] == [other]
    assert gaps(G, under=national) == type(under)()
    with pytest.raises(UnknownNodeError):
        gaps(G, under="nope")


def test_uncascaded_through_placeholders_not_past_loaded_documents() -> None:
    G = nx.MultiDiGraph()
    for node, level, placeholder in (("ward", "commune", False), ("x", "province", True),
                                     ("prov", "province", False), ("nat", "national", False)):
        G.add_node(node, kind="document", label=node, level=level, placeholder=placeholder)
        if not placeholder:
            G.add_node(f"{node}#1", kind="task", label=f"{node} task", document=node)
    G.add_edge("ward", "x", key="applies", relation="applies")
    G.add_edge("x", "prov", key="applies", relation="applies")
    G.add_edge("prov", "nat", key="applies", relation="applies")
    assert [(g.task, g.lower) for g in gaps(G).uncascaded] == [("nat#1", "prov"), ("prov#1", "ward")]


# --- agencies, search -----------------------------------------------------------------

def test_agency_tasks_without_diacritics(G: nx.MultiDiGraph) -> None:
    rows = agency_tasks(G, "cong an")
    assert {r.agency for r in rows} == {"Công an phường Đoàn Kết", "Công an tỉnh Lai Châu"}
    ward_police = [r for r in rows if r.agency == "Công an phường Đoàn Kết"]
    assert [r.role for r in ward_police] == ["lead", "lead"]
    assert all(r.document == WARD and r.deadline == "Thường xuyên, liên tục trong giai đoạn 2026-2030"
               for r in ward_police)
    assert agency_tasks(G, "CÔNG AN TỈNH LAI CHÂU") == [r for r in rows if r.agency == "Công an tỉnh Lai Châu"]
    assert agency_tasks(G, "bộ ngoại giao") == []


def test_agency_tasks_lists_lead_before_support(G: nx.MultiDiGraph) -> None:
    rows = agency_tasks(G, "UBND các xã, phường")
    roles = [r.role for r in rows if r.agency == "UBND các xã, phường"]
    assert "support" in roles and roles == sorted(roles)


def test_search_without_diacritics(G: nx.MultiDiGraph) -> None:
    hits = search(G, "thu hut dau tu")
    assert hits[0].matched == 4 and hits[0].phrase
    assert "thu hút đầu tư" in fold(hits[0].text or "")
    assert [(-h.matched, not h.phrase) for h in hits] == sorted((-h.matched, not h.phrase) for h in hits)
    assert len(hits) == 20
    assert search(G, "thu hut dau tu") == hits


def test_search_ranking_orders_by_words_then_phrase(G: nx.MultiDiGraph) -> None:
    hits = search(G, "quy chế quản lý chất thải", limit=None)
    keys = [(-h.matched, not h.phrase) for h in hits]
    assert keys == sorted(keys)
    ward, national = _waste(G)
    assert [(h.id, h.matched, h.phrase) for h in hits[:3]] == [
        (national, 6, True), (ward, 6, True), (f"{DIEN_BIEN}#IV/2/-3", 6, False)]


def test_search_documents_and_agencies(G: nx.MultiDiGraph) -> None:
    assert search(G, "2233/KH-UBND", kinds=["document"])[0].id == PROVINCE
    hit = search(G, "cong an phuong doan ket", kinds=["agency"])[0]
    assert (hit.id, hit.kind, hit.phrase) == ("agency:tinh-lai-chau/cong-an-phuong-doan-ket", "agency", True)
    assert search(G, "   ") == []
    assert len(search(G, "quy hoạch", limit=3)) == 3


# --- show, stats, deadlines -----------------------------------------------------------

def test_show(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    _link(G, ward, national, 0.59)
    node = show(G, ward)
    assert node["id"] == ward and node["attributes"]["kind"] == "task"
    assert node["out"]["derived_from"] == [{
        "id": national, "kind": "task", "label": G.nodes[national]["label"], "evidence": ["quản lý"],
        "method": "test", "score": 0.59, "status": "proposed"}]
    assert [e["id"] for e in node["out"]["part_of"]] == [f"{WARD}#III/7/7.1"]
    assert list(show(G, national)["in"]) == ["derived_from"]
    with pytest.raises(UnknownNodeError):
        show(G, "nope")


def test_stats(G: nx.MultiDiGraph) -> None:
    ward, national = _waste(G)
    _link(G, ward, national)
    _link(G, national, ward, status="rejected")
    counts = stats(G)
    assert sum(counts["nodes"].values()) == G.number_of_nodes()
    assert sum(counts["edges"].values()) == G.number_of_edges()
    assert counts["nodes"]["document"] == 21
    assert counts["documents"]["commune"] == {"loaded": 1, "placeholder": 0}
    assert list(counts["documents"]) == ["national", "province", "district", "commune"]
    assert counts["links"] == {"proposed": 1, "confirmed": 0, "rejected": 1}


def test_deadlines(G: nx.MultiDiGraph) -> None:
    entries = deadlines(G)
    dated = [e for e in entries if not e.is_ongoing]
    assert [e.end for e in dated] == sorted(e.end or "" for e in dated)
    assert dated[0].deadline == "trong quý III năm 2022" and dated[0].end == "2022-09-30"
    first_ongoing = next(i for i, e in enumerate(entries) if e.is_ongoing)
    assert all(e.is_ongoing for e in entries[first_ongoing:])
    assert all(e.deadline for e in entries)
    soon = deadlines(G, before=dt.date(2026, 5, 1))
    assert [e.end for e in soon if not e.is_ongoing] == ["2022-09-30", "2026-04-10", "2026-04-30"]
    assert all(e.end is None or e.end <= "2026-05-01" for e in soon)
    # Inclusive: a task due on the day itself is kept.
    assert "2026-04-30" in [e.end for e in deadlines(G, before=dt.date(2026, 4, 30))]


def test_only_tasks_meant_for_the_lower_level_are_its_gaps() -> None:
    G = nx.MultiDiGraph()
    G.add_node("n", kind="document", label="QĐ 1/QĐ-TTg", level="national")
    G.add_node("p", kind="document", label="KH 2/KH-UBND", level="province")
    G.add_edge("p", "n", key="applies", relation="applies")
    agencies = {"bo": ("Bộ Tài chính", "specific", "national"), "tinh": ("UBND các tỉnh", "distributive", "province"),
                "all": ("các cơ quan, đơn vị", "collective", None), "so": ("Sở Y tế tỉnh A", "specific", "province")}
    for key, (name, kind, level) in agencies.items():
        G.add_node(f"agency:{key}", kind="agency", label=name, name=name, agency_kind=kind, level=level)
    leads = {"n#1": ["bo"], "n#2": ["tinh"], "n#3": ["all"], "n#4": [], "n#5": ["bo", "so"]}
    for task, lead in leads.items():
        G.add_node(task, kind="task", label=task, document="n", lines=[int(task[-1])])
        for key in lead:
            G.add_edge(task, f"agency:{key}", key="lead", relation="lead")
    # A ministry's own task is no province's gap; the provinces', a collective one and an
    # unassigned one are; so is one a province department co-leads.
    assert [g.task for g in gaps(G).uncascaded] == ["n#2", "n#3", "n#4", "n#5"]


def test_a_province_plans_department_tasks_are_not_a_wards_gaps(G: nx.MultiDiGraph) -> None:
    """The 2233/KH-UBND case: once the ward plan takes up one task of the provincial plan,
    only the provincial tasks meant for wards (no lead, "UBND các xã, phường" named, a
    collective lead) are its gaps, never one a Sở, the police or a province body alone leads."""
    ward = next(n for n, d in G.nodes(data=True) if d.get("kind") == "document" and d.get("level") == "commune")
    tasks = [n for n, d in G.nodes(data=True) if d.get("document") == PROVINCE and d.get("kind") == "task"]
    ward_task = next(n for n, d in G.nodes(data=True) if d.get("document") == ward and d.get("kind") == "task")
    G.add_edge(ward_task, tasks[0], key="derived_from", relation="derived_from", score=0.9, status="confirmed")
    found = [g for g in gaps(G, level="commune").uncascaded if g.document == PROVINCE]
    assert {g.lower for g in found} == {ward}

    def province_only(task: str) -> bool:
        named = [G.nodes[a] for _, a, d in G.out_edges(task, data=True) if d["relation"] in ("lead", "support")]
        return bool(named) and all(a.get("level") == "province" and a.get("agency_kind") == "specific"
                                   for a in named)

    department_led = [t for t in tasks if province_only(t)]
    assert len(department_led) >= 20  # the plan gives most tasks to its departments
    assert not {g.task for g in found} & set(department_led)
    assert any(not g.lead for g in found) and any("UBND các xã, phường" in g.lead for g in found)
    assert all(g.path and g.label for g in found)
