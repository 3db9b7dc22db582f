"""Curation that never loses a decision: plans are edited under it, and every decision stays
with its tasks, or is reported stale and kept; never moved, never dropped silently."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from plankg.cli import cli
from plankg.graph.link import write_decision
from plankg.graph.workspace import BuildReport, build_workspace, load_graph
from plankg.normalize import fold

WARD = "000_52f910eca6da929a.txt"
WASTE = "Thực hiện tốt quy chế quản lý chất thải"
PROPAGANDA = "Tăng cường công tác tuyên truyền, giáo dục pháp luật về bảo vệ môi trường"


def _task(G, snippet: str) -> str:  # type: ignore[no-untyped-def]
    [node] = [n for n, d in G.nodes(data=True) if d.get("kind") == "task" and fold(snippet) in fold(d["text"])
              and G.nodes[d["document"]].get("source") == WARD]
    return node


def _links(G, node: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {v: d["status"] for _, v, k, d in G.out_edges(node, keys=True, data=True) if k == "derived_from"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    shutil.copytree(CORPUS, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_decisions_follow_their_tasks_through_edits_and_go_stale_never_elsewhere(
        corpus: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    build_workspace([corpus], workspace)
    G = load_graph(workspace)
    waste, talk = _task(G, WASTE), _task(G, PROPAGANDA)
    [waste_parent] = _links(G, waste)
    [talk_parent] = _links(G, talk)
    curation = workspace / "curation.csv"
    write_decision(curation, waste, waste_parent, "confirmed", "đã kiểm tra")
    write_decision(curation, talk, talk_parent, "rejected", "không đúng")
    waste_text, talk_text = G.nodes[waste]["text"], G.nodes[talk]["text"]

    def check(report: BuildReport) -> None:
        G = load_graph(workspace)
        # The report counts the links the graph holds, the rejected one aside.
        assert report.links == sum(1 for _, _, k, d in G.edges(keys=True, data=True)
                                   if k == "derived_from" and d["status"] != "rejected") > 0
        now_waste, now_talk = _task(G, WASTE), _task(G, PROPAGANDA)
        assert _links(G, now_waste) == {waste_parent: "confirmed"}
        assert _links(G, now_talk)[talk_parent] == "rejected"  # (and the next candidate proposed)
        # No other task got a decision on the way.
        decided = {u for u, _, k, d in G.edges(keys=True, data=True)
                   if k == "derived_from" and d["status"] != "proposed"}
        assert decided == {now_waste, now_talk}
        rows = _rows(curation)
        assert [(r["child"], r["parent"], r["status"]) for r in rows] == [
            (now_waste, waste_parent, "confirmed"), (now_talk, talk_parent, "rejected")]
        assert [r["child_text"] for r in rows] == [waste_text, talk_text]
        assert not any("no longer match" in n for n in report.notices)

    ward = corpus / WARD
    check(build_workspace([], workspace))  # the first rebuild fills in the snapshots

    # 1. A bullet inserted above both tasks renumbers them.
    _edit(ward, "- Tăng cường công tác tuyên truyền, giáo dục pháp luật về bảo vệ môi trường",
          "- Ra quân tổng vệ sinh môi trường các tổ dân phố vào sáng chủ nhật cuối tháng\n\n"
          "- Tăng cường công tác tuyên truyền, giáo dục pháp luật về bảo vệ môi trường")
    report = build_workspace([], workspace)
    assert any("followed their tasks to new ids" in n for n in report.notices)
    assert _task(load_graph(workspace), WASTE) != waste
    check(report)

    # 2. The title of the unnumbered plan is retouched: its id changes.
    _edit(ward, "KẾ HOẠCH\n\nTriển khai thực hiện Quy hoạch tỉnh Lai Châu điều chỉnh thời kỳ 2021 - 2030",
          "KẾ HOẠCH\n\nTriển khai thực hiện Quy hoạch tỉnh Lai Châu điều chỉnh thời kỳ 2021-2030")
    check(build_workspace([], workspace))

    # 3. The plan receives its number: its id changes again.
    _edit(ward, "Số: /KH-UBND", "Số: 123/KH-UBND")
    report = build_workspace([], workspace)
    assert _task(load_graph(workspace), WASTE).startswith("tinh-lai-chau/ubnd-phuong-doan-ket/2026/123-kh-ubnd#")
    check(report)

    # 4. The task itself is rewritten: its decision no longer matches anything. It is
    # reported with both texts and kept in the file as it was, and applied to no task.
    before = _rows(curation)
    _edit(ward, "- Thực hiện tốt quy chế quản lý chất thải", "- Thực hiện nghiêm quy chế quản lý chất thải")
    report = build_workspace([], workspace)
    [stale] = [n for n in report.notices if "no longer match" in n]
    assert stale.startswith("1 decision of curation.csv no longer match any task")
    assert f'confirmed "{waste_text[:40]}' in stale
    assert _rows(curation)[0] == before[0]
    G = load_graph(workspace)
    assert {d["status"] for _, _, k, d in G.edges(keys=True, data=True) if k == "derived_from"} \
        == {"proposed", "rejected"}
    result = CliRunner().invoke(cli, ["build", "--workspace", str(workspace)])
    assert result.exit_code == 0 and "Note: 1 decision of curation.csv no longer match" in result.stderr


def test_bad_rows_are_errors_with_their_line_and_the_rest_applies(corpus: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    build_workspace([corpus], workspace)
    G = load_graph(workspace)
    waste = _task(G, WASTE)
    [parent] = _links(G, waste)
    curation = workspace / "curation.csv"
    write_decision(curation, "no/such#task", parent, "confirmed", "")
    write_decision(curation, '=HYPERLINK("http://x")', parent, "confirmed", "")
    write_decision(curation, "2233/KH-UBND IX.9", parent, "rejected", "")
    write_decision(curation, waste, parent, "rejected", "sai")
    result = CliRunner().invoke(cli, ["build", "--workspace", str(workspace)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: {curation}:3: the child cell is a spreadsheet formula ('=HYPERLINK(\"http://x\")'): write the id "
        "as text",
        f"Error: {curation}:2: 'no/such#task' names no task: unknown node id 'no/such#task'",
        f"Error: {curation}:4: '2233/KH-UBND IX.9' names no task: unknown node id '2233/KH-UBND IX.9'; did you mean:",
    ]
    assert _links(load_graph(workspace), waste)[parent] == "rejected"  # the good row applied


def test_references_people_type_are_accepted_in_the_file(corpus: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    build_workspace([corpus], workspace)
    G = load_graph(workspace)
    task = "ubnd-tinh-lai-chau/2026/2233-kh-ubnd#II/1/b"
    parent = "thu-tuong-chinh-phu/2024/ke-hoach-7a8f4a24#III/5/b"
    assert G.nodes[parent]["kind"] == "task" and parent not in _links(G, task)
    write_decision(workspace / "curation.csv", "2233/KH-UBND II.1.b", parent, "confirmed", "")
    report = build_workspace([], workspace)
    assert not report.errors
    assert _links(load_graph(workspace), task)[parent] == "confirmed"
    assert _rows(workspace / "curation.csv")[0]["child"] == task  # written back as the id
