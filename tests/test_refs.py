"""References people can type: numbers, items by path, file names, IRIs and phrases."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from plankg.cli import cli
from plankg.errors import UnknownNodeError
from plankg.graph.build import Graph
from plankg.graph.refs import GraphNodes, resolve
from plankg.graph.workspace import resolve_reference

PLAN = "ubnd-tinh-lai-chau/2026/2233-kh-ubnd"
WARD = "tinh-lai-chau/ubnd-phuong-doan-ket/2026/kh-ubnd-3a4c2327"


@pytest.mark.parametrize(("ref", "expected"), [
    ("2233/KH-UBND", PLAN),
    ("2233/kh-ubnd", PLAN),
    (" 2233 / KH - UBND ", PLAN),
    ("06-NQ/TW", "bo-chinh-tri/2022/06-nq-tw"),          # cited, not loaded: still a node
    ("57- NQ/TW", "bo-chinh-tri/2024/57-nq-tw"),
    ("1486/QD-TTg", "thu-tuong-chinh-phu/2024/1486-qd-ttg"),
    ("1486/qđ-ttg", "thu-tuong-chinh-phu/2024/1486-qd-ttg"),
    ("2233/KH-UBND II.1.b", f"{PLAN}#II/1/b"),
    ("2233/KH-UBND#II/1/b", f"{PLAN}#II/1/b"),
    ("2233/KH-UBND ii 1 b", f"{PLAN}#II/1/b"),
    ("000_52f910eca6da929a.txt", WARD),
    ("000_52f910eca6da929a", WARD),
    (f"https://w3id.org/plankg/id/{PLAN}/II/1/b", f"{PLAN}#II/1/b"),
    (f"id:{PLAN}/II/1/b", f"{PLAN}#II/1/b"),
    (f"id:{WARD}/III/7/7.1/-3", f"{WARD}#III/7/7.1/-3"),
    ("Thực hiện tốt quy chế quản lý chất thải", f"{WARD}#III/7/7.1/-3"),  # one phrase match
    ("thuc hien tot quy che quan ly chat thai", f"{WARD}#III/7/7.1/-3"),
    (PLAN, PLAN),
])
def test_references_people_type_resolve_to_one_node(seed_workspace: Path, ref: str, expected: str) -> None:
    assert resolve_reference(seed_workspace, ref) == expected


def test_an_unknown_reference_says_what_it_might_mean(seed_workspace: Path) -> None:
    with pytest.raises(UnknownNodeError) as info:
        resolve_reference(seed_workspace, "KH-UBND")
    lines = str(info.value).splitlines()
    assert lines[0] == "unknown node id 'KH-UBND'; did you mean:"
    assert any(line.startswith(f"  {PLAN}  (Kế hoạch 2233/KH-UBND)") for line in lines[1:])
    with pytest.raises(UnknownNodeError, match=r"^unknown node id 'zzqx'$"):
        resolve_reference(seed_workspace, "zzqx")
    # A known number with an item path it does not have: the document is suggested.
    with pytest.raises(UnknownNodeError) as info:
        resolve_reference(seed_workspace, "2233/KH-UBND IX.9")
    assert info.value.suggestions == ((PLAN, "Kế hoạch 2233/KH-UBND"),)


def _two_plans_with_one_number() -> Graph:
    G = Graph()
    for province, issuer in (("tuyen-quang", "UBND tỉnh Tuyên Quang"), ("ha-giang", "UBND tỉnh Hà Giang")):
        doc = f"ubnd-tinh-{province}/2025/186-kh-ubnd"
        G.add_node(doc, kind="document", label="Kế hoạch 186/KH-UBND", number="186/KH-UBND", issuer=issuer,
                   year=2025, source=f"{province}.docx")
        G.add_node(f"{doc}#II/1", kind="task", label="Rà soát", text="Rà soát quy hoạch", document=doc)
    return G


def test_a_number_shared_by_two_documents_takes_words_or_lists_both() -> None:
    nodes = GraphNodes(_two_plans_with_one_number())
    assert resolve("186/KH-UBND Tuyên Quang", nodes) == "ubnd-tinh-tuyen-quang/2025/186-kh-ubnd"
    assert resolve("186/kh-ubnd tuyen quang II.1", nodes) == "ubnd-tinh-tuyen-quang/2025/186-kh-ubnd#II/1"
    with pytest.raises(UnknownNodeError) as info:
        resolve("186/KH-UBND", nodes)
    assert info.value.ambiguous
    assert [node for node, _ in info.value.suggestions] == ["ubnd-tinh-ha-giang/2025/186-kh-ubnd",
                                                            "ubnd-tinh-tuyen-quang/2025/186-kh-ubnd"]
    assert str(info.value).startswith("'186/KH-UBND' names 2 nodes; give one of these ids, or add words")


def test_the_error_crosses_process_boundaries_with_its_suggestions() -> None:
    error = UnknownNodeError("x", suggestions=[("a", "A")], ambiguous=False)
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == str(error) and again.suggestions == (("a", "A"),)


def test_commands_take_numbers_and_paths(seed_workspace: Path) -> None:
    runner = CliRunner()
    ws = ["--workspace", str(seed_workspace)]
    lineage = runner.invoke(cli, ["lineage", "2233/KH-UBND", *ws])
    assert lineage.exit_code == 0, lineage.output
    assert "130/TB-VPCP" in lineage.stdout  # the document's chain up to the notice it applies
    task = runner.invoke(cli, ["lineage", "2233/KH-UBND II.1.b", *ws])
    assert task.exit_code == 0 and task.stdout.startswith(f"task {PLAN}#II/1/b")
    cascade = runner.invoke(cli, ["cascade", "06-NQ/TW", *ws])
    assert cascade.exit_code == 0 and cascade.stdout.startswith("document bo-chinh-tri/2022/06-nq-tw")
    gaps = runner.invoke(cli, ["gaps", "--under", "2233/KH-UBND", "--json", *ws])
    assert gaps.exit_code == 0, gaps.output
    unknown = runner.invoke(cli, ["show", "KH-UBND", *ws])
    assert unknown.exit_code == 1 and unknown.stderr.startswith("Error: unknown node id 'KH-UBND'; did you mean:\n")


def test_every_id_sparql_prints_is_accepted_by_show(seed_workspace: Path) -> None:
    runner = CliRunner()
    ws = ["--workspace", str(seed_workspace)]
    query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'https://w3id.org/plankg/id/') " \
            "&& !CONTAINS(STR(?s), '/derivation/')) } ORDER BY ?s"
    table = runner.invoke(cli, ["sparql", query, *ws])
    assert table.exit_code == 0, table.output
    printed = [line.strip() for line in table.stdout.splitlines()[2:-1]]
    assert len(printed) > 300 and not any(p.endswith("…") for p in printed)
    assert not any(p.startswith("id:") for p in printed)  # local results: node ids themselves
    for node in printed[::7]:
        shown = runner.invoke(cli, ["show", node, *ws])
        assert shown.exit_code == 0, (node, shown.output)
        assert node in shown.stdout.splitlines()[0]
