"""Official administrative units: resolving names by the document's date and province, and
the succession of units across the reorganisation of 1 July 2025 (plankg.graph.units)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from plankg.cli import cli
from plankg.graph.units import (
    COUNTRY,
    REORGANISATION,
    Era,
    UnitTable,
    annotate_units,
    era_of,
    unit_table,
    units_notice,
)
from plankg.model import DocumentRecord, Level

pytestmark = pytest.mark.skipif(not unit_table().available, reason="the vietnamadminunits dataset is not installed")


@pytest.fixture(scope="module")
def table() -> UnitTable:
    return unit_table()


def test_the_date_chooses_the_list(table: UnitTable) -> None:
    before = table.resolve("phường Đoàn Kết", era=era_of(dt.date(2022, 7, 5)), province="tỉnh Lai Châu").unit
    after = table.resolve("phường Đoàn Kết", era=era_of(dt.date(2026, 3, 30)), province="tỉnh Lai Châu").unit
    assert (before.code, before.era, before.district) == ("03389", Era.BEFORE, "thành phố Lai Châu")
    assert (after.code, after.era, after.district) == ("03388", Era.AFTER, None)
    # Codes were reused: 03388 was phường Quyết Tiến before, so the era is part of the id.
    assert table.get("unit:03388@pre2025").name == "phường Quyết Tiến"
    assert (before.id, after.id) == ("unit:03389@pre2025", "unit:03388")


def test_the_day_of_the_reorganisation_is_the_first_of_the_new_list() -> None:
    assert era_of(REORGANISATION - dt.timedelta(days=1)) is Era.BEFORE
    assert era_of(REORGANISATION) is Era.AFTER
    assert era_of() is None


def test_ambiguous_names_are_resolved_by_province(table: UnitTable) -> None:
    ambiguous = table.resolve("phường 1", era=Era.BEFORE)
    assert ambiguous.unit is None and ambiguous.reason == "ambiguous" and len(ambiguous.candidates) > 10
    in_lam_dong = table.resolve("phường 1", era=Era.BEFORE, province="tỉnh Lâm Đồng")
    # Lâm Đồng had a phường 1 in Đà Lạt and in Bảo Lộc: the province alone cannot choose.
    assert in_lam_dong.reason == "ambiguous"
    assert {u.province for u in in_lam_dong.candidates} == {"tỉnh Lâm Đồng"}
    xa = table.resolve("xã Đoàn Kết", era=Era.AFTER, province="tỉnh Sơn La").unit
    assert (xa.code, xa.province) == ("04000", "tỉnh Sơn La")


def test_a_name_is_never_resolved_to_a_unit_of_another_province(table: UnitTable) -> None:
    """One unit of that name in the land is not enough: it must lie in the document's province."""
    here = table.resolve("phường Đông Phong", era=Era.BEFORE, province="tỉnh Lai Châu").unit
    assert here is not None and here.province == "tỉnh Lai Châu"
    elsewhere = table.resolve("phường Đông Phong", era=Era.BEFORE, province="tỉnh Tây Ninh")
    assert elsewhere.unit is None and elsewhere.reason == "not-found"
    assert table.resolve("phường Đông Phong", province="tỉnh Tây Ninh").unit is None
    # An unknown province name does not hide the unit.
    assert table.resolve("phường Đông Phong", era=Era.BEFORE, province="tỉnh Không Có").unit == here


def test_a_name_of_the_other_list_still_resolves(table: UnitTable) -> None:
    kon_tum = table.resolve("tỉnh Kon Tum", era=Era.AFTER).unit
    assert (kon_tum.code, kon_tum.era) == ("62", Era.BEFORE)
    assert [u.name for u in table.successors(kon_tum)] == ["tỉnh Quảng Ngãi"]


def test_the_level_given_is_a_preference(table: UnitTable) -> None:
    hcm = table.resolve("thành phố Hồ Chí Minh", era=Era.BEFORE, level=Level.DISTRICT).unit
    assert (hcm.code, hcm.level) == ("79", Level.PROVINCE)
    district = table.resolve("thành phố Lai Châu", level=Level.DISTRICT).unit
    assert (district.code, district.level, district.era) == ("105", Level.DISTRICT, Era.BEFORE)


def test_unknown_names_and_the_country(table: UnitTable) -> None:
    assert table.resolve("xã Việt Nam").reason == "not-found"
    assert table.resolve("Việt Nam").unit == COUNTRY
    assert COUNTRY.id == "unit:VN"


def test_a_district_is_succeeded_by_the_wards_on_its_territory(table: UnitTable) -> None:
    lai_chau = table.resolve("thành phố Lai Châu", era=Era.BEFORE).unit
    assert sorted(u.name for u in table.successors(lai_chau)) == ["phường Tân Phong", "phường Đoàn Kết"]
    doan_ket = table.resolve("phường Đoàn Kết", era=Era.AFTER, province="tỉnh Lai Châu").unit
    before = {u.name for u in table.predecessors(doan_ket)}
    assert {"thành phố Lai Châu", "phường Đoàn Kết", "phường Quyết Thắng", "phường Quyết Tiến",
            "xã Sùng Phài"} <= before
    # xã Lản Nhì Thàng of huyện Phong Thổ went to Đoàn Kết too, so Phong Thổ is a (partial) predecessor.
    assert "huyện Phong Thổ" in before
    whole = {s.before.name: s.whole for s in table.successions(doan_ket)}
    assert whole["phường Quyết Tiến"] is True and whole["thành phố Lai Châu"] is False
    assert all(s.date == REORGANISATION for s in table.successions(doan_ket))


def test_provinces_merge(table: UnitTable) -> None:
    lam_dong = table.resolve("tỉnh Lâm Đồng", era=Era.AFTER).unit
    assert sorted(u.name for u in table.predecessors(lam_dong)) == ["tỉnh Bình Thuận", "tỉnh Lâm Đồng", "tỉnh Đắk Nông"]


def test_the_seed_graph_carries_unit_codes(seed_records: dict[str, DocumentRecord]) -> None:
    from plankg.graph.build import build_graph

    G = build_graph(seed_records.values(), link=False)
    codes = {d["jurisdiction"]: d["unit_code"] for _, d in G.nodes(data=True)
             if d.get("kind") == "document" and not d.get("placeholder")}
    assert codes == {"phường Đoàn Kết": "03388", "thành phố Lai Châu": "105", "Việt Nam": "VN",
                     "tỉnh Điện Biên": "11", "tỉnh Lai Châu": "12"}
    assert units_notice(G) == []


def test_unknown_names_are_reported_once() -> None:
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("d", kind="document", jurisdiction="xã Không Có", province="tỉnh Lai Châu", level="commune", year=2026)
    G.add_node("a", kind="agency", jurisdiction="xã Không Có", province="tỉnh Lai Châu", level="commune")
    G.add_node("b", kind="agency", jurisdiction="tỉnh Lai Châu", province="tỉnh Lai Châu", level="province")
    annotate_units(G)
    assert G.nodes["d"]["admin_unit"] is None and G.nodes["b"]["unit_code"] == "12"
    assert units_notice(G) == ["1 unit name not found in the official list: xã Không Có (tỉnh Lai Châu)"]


WARD_PLAN = "tinh-lai-chau/ubnd-phuong-doan-ket/2026/kh-ubnd-3a4c2327"
CITY_PLAN = "tinh-lai-chau/thanh-uy-lai-chau/x/ke-hoach-15d32507"


def test_jurisdiction_shows_the_ward_its_predecessors_and_both_plans(runner: CliRunner, seed_workspace: Path) -> None:
    result = runner.invoke(cli, ["jurisdiction", "phuong Doan Ket", "--workspace", str(seed_workspace)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "phường Đoàn Kết, tỉnh Lai Châu (code 03388)  unit:03388"
    assert lines[1] == "Predecessors (7):"
    assert "  2025-07-01  thành phố Lai Châu, tỉnh Lai Châu (code 105, before 1 July 2025)  (part)" in lines
    assert ("  2025-07-01  phường Đoàn Kết, thành phố Lai Châu, tỉnh Lai Châu (code 03389, before 1 July 2025)"
            "  (whole)") in lines
    plans = lines[lines.index("Plans (2):") + 1:]
    assert plans[0].startswith(f"  {WARD_PLAN}  Kế hoạch: Triển khai thực hiện Quy hoạch tỉnh Lai Châu")
    assert plans[1].startswith(f"  {CITY_PLAN}  Kế hoạch: Triển khai thực hiện Chương trình hành động số 21-CTr/TU")
    # The Thành ủy plan is undated: it cannot be older than the 21-CTr/TU it implements.
    assert plans[2] == "    inherited: thành phố Lai Châu, after 05/07/2022 (before the merger)"
    found = json.loads(runner.invoke(cli, ["jurisdiction", "unit:03388", "--json",
                                           "--workspace", str(seed_workspace)]).stdout)
    assert found["unit"]["code"] == "03388"
    assert [(p["document"], p["inherited"]) for p in found["plans"]] == [(WARD_PLAN, False), (CITY_PLAN, True)]


def test_jurisdiction_of_a_former_district_and_an_ambiguous_name(runner: CliRunner, seed_workspace: Path) -> None:
    result = runner.invoke(cli, ["jurisdiction", "thành phố Lai Châu", "--workspace", str(seed_workspace)])
    assert result.stdout.splitlines()[:4] == [
        "thành phố Lai Châu, tỉnh Lai Châu (code 105, before 1 July 2025)  unit:105@pre2025",
        "Predecessors (0):",
        "Successors (2):",
        "  2025-07-01  phường Tân Phong, tỉnh Lai Châu (code 03408)  (part)",
    ]
    ambiguous = runner.invoke(cli, ["jurisdiction", "phường 1", "--workspace", str(seed_workspace)])
    assert ambiguous.exit_code == 1
    assert ambiguous.stderr.startswith("Error: phường 1 names 36 units; give one by its id: unit:")
    unknown = runner.invoke(cli, ["jurisdiction", "xã Không Có", "--workspace", str(seed_workspace)])
    assert (unknown.exit_code, unknown.stderr) == (1, "Error: no official unit is named xã Không Có\n")


def test_the_cascade_reaches_the_wards_through_the_former_city_plan(runner: CliRunner, seed_workspace: Path) -> None:
    result = runner.invoke(cli, ["cascade", "06-NQ/TW", "--workspace", str(seed_workspace)])
    lines = result.stdout.splitlines()
    city = next(i for i, line in enumerate(lines) if f"applies: document {CITY_PLAN} (district)" in line)
    note = "[inherited: thành phố Lai Châu, after 05/07/2022 (before the merger)]"
    assert lines[city + 1:city + 3] == [
        f"        ├── inherited_by: unit unit:03388 (commune)  phường Đoàn Kết, tỉnh Lai Châu (code 03388)  {note}",
        f"        └── inherited_by: unit unit:03408 (commune)  phường Tân Phong, tỉnh Lai Châu (code 03408)  {note}",
    ]
    # A plan of a province that went on unchanged (Điện Biên) is inherited by no one.
    assert sum("inherited_by" in line for line in lines) == 2


def test_a_merged_province_passes_its_plans_on() -> None:
    from plankg.graph.units import inherited_by

    assert [(u.name, note) for u, note in inherited_by({"admin_unit": "unit:62@pre2025", "year": 2020})] == [
        ("tỉnh Quảng Ngãi", "tỉnh Kon Tum, 2020 (before the merger)")]
    assert inherited_by({"admin_unit": "unit:12@pre2025", "year": 2022}) == []
    assert inherited_by({"admin_unit": "unit:12", "year": 2026}) == []


def test_the_rdf_carries_units_as_skos_concepts_with_their_succession(seed_workspace: Path) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import SKOS

    from plankg.exports.rdf import BASE, to_rdf
    from plankg.graph.workspace import load_graph
    from plankg.ontology import ELI, PKG

    rdf = to_rdf(load_graph(seed_workspace))
    ward, city = URIRef(BASE + "unit/03388"), URIRef(BASE + "unit/pre2025/105")
    old_ward = URIRef(BASE + "unit/pre2025/03389")
    assert (ward, SKOS.notation, Literal("03388")) in rdf and (city, SKOS.notation, Literal("105")) in rdf
    assert (ward, SKOS.inScheme, PKG.Units2025) in rdf and (city, SKOS.inScheme, PKG.UnitsBefore2025) in rdf
    assert (old_ward, PKG.succeededBy, ward) in rdf and (old_ward, SKOS.broader, city) in rdf
    tan_phong = URIRef(BASE + "unit/03408")
    assert (city, PKG.partlySucceededBy, ward) in rdf and (city, PKG.partlySucceededBy, tan_phong) in rdf
    assert rdf.value(city, PKG.validUntil).toPython() == REORGANISATION - dt.timedelta(days=1)
    assert rdf.value(ward, PKG.validFrom).toPython() == REORGANISATION
    plans = {str(s).removeprefix(BASE): str(o).removeprefix(BASE) for s, o in rdf.subject_objects(ELI.jurisdiction)}
    assert plans[WARD_PLAN] == "unit/03388" and plans[CITY_PLAN] == "unit/pre2025/105"


def test_sparql_prints_unit_ids_that_show_accepts(runner: CliRunner, seed_workspace: Path) -> None:
    ws = ["--workspace", str(seed_workspace)]
    query = "SELECT ?u WHERE { ?u <http://www.w3.org/2004/02/skos/core#notation> \"105\" }"
    printed = runner.invoke(cli, ["sparql", query, *ws]).stdout.splitlines()
    assert printed[2].strip() == "unit:105@pre2025"
    shown = runner.invoke(cli, ["show", "unit:105@pre2025", *ws])
    assert shown.stdout.splitlines()[0] == (
        "thành phố Lai Châu, tỉnh Lai Châu (code 105, before 1 July 2025)  unit:105@pre2025")


def test_gaps_under_the_ward_plan_include_what_the_former_city_plan_gave(
        runner: CliRunner, seed_workspace: Path) -> None:
    from plankg.graph import queries
    from plankg.graph.workspace import gaps_workspace, load_graph

    found = gaps_workspace(seed_workspace, under=WARD_PLAN)
    assert found == queries.gaps(load_graph(seed_workspace), under=WARD_PLAN)
    assert found.inherited and {g.document for g in found.inherited} == {CITY_PLAN}
    assert {(g.lower, g.reason, g.note) for g in found.inherited} == {
        (WARD_PLAN, "inherited", "thành phố Lai Châu, after 05/07/2022 (before the merger)")}
    # The city plan's tasks led by a Sở alone are no ward's gap.
    assert len(found.inherited) < len([n for n, d in load_graph(seed_workspace).nodes(data=True)
                                       if d.get("document") == CITY_PLAN and d.get("kind") == "task"])
    lines = runner.invoke(cli, ["gaps", "--under", WARD_PLAN, "--workspace", str(seed_workspace)]).stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Inherited ("))
    assert lines[start + 1] == f"  {WARD_PLAN} ← {CITY_PLAN}"
    assert lines[start + 2].endswith("  [inherited: thành phố Lai Châu, after 05/07/2022 (before the merger)]")
    # A plan of a unit with no predecessor plan loaded inherits nothing.
    assert gaps_workspace(seed_workspace, under=CITY_PLAN).inherited == ()


def test_a_damaged_dataset_leaves_names_as_text(tmp_path: Path) -> None:
    from plankg.graph.units import read_table

    (tmp_path / "dataset.db").write_bytes(b"not a database")
    table = read_table(tmp_path)
    assert not table.available and table.problem and str(tmp_path) in table.problem
    assert table.resolve("phường Đoàn Kết").reason == "not-found"


@pytest.mark.parametrize(("years", "unit"), [
    ([2022], "unit:03387@pre2025"), ([2026], "unit:03408"), ([2022, None], "unit:03387@pre2025"),
    # Documents of both eras: the name is read in the current list, as one without a date.
    ([2022, 2026, 2022], "unit:03408"), ([2026, 2022, 2022], "unit:03408"),
])
def test_an_agency_takes_the_era_of_the_documents_naming_it_when_they_agree(years: list[int | None],
                                                                              unit: str) -> None:
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("a", kind="agency", jurisdiction="phường Tân Phong", province="tỉnh Lai Châu", level="commune")
    for i, year in enumerate(years):
        G.add_node(f"d{i}", kind="document", year=year, province="tỉnh Lai Châu", level="commune")
        if i % 2:  # named as the lead of a task, or as the issuer
            G.add_node(f"t{i}", kind="task", document=f"d{i}")
            G.add_edge(f"t{i}", "a", key="lead", relation="lead")
        else:
            G.add_edge(f"d{i}", "a", key="issued_by", relation="issued_by")
    annotate_units(G)
    assert G.nodes["a"]["admin_unit"] == unit
