"""The 2025 mergers of ministries and provincial departments (plankg.graph.mergers) and
``plankg agency`` following them."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from plankg.cli import cli
from plankg.graph.mergers import agency_mergers, successors

PLAN_2022 = """UBND TỈNH LAI CHÂU
Số: 12/KH-UBND
Lai Châu, ngày 10 tháng 3 năm 2022
KẾ HOẠCH
Thu hút đầu tư năm 2022
I. NHIỆM VỤ
1. Xây dựng danh mục dự án kêu gọi đầu tư.
- Cơ quan chủ trì: Sở Kế hoạch và Đầu tư.
- Thời gian thực hiện: trong quý II năm 2022.
"""
PLAN_2026 = PLAN_2022.replace("12/KH", "30/KH").replace("2022", "2026").replace(
    "Xây dựng", "Cập nhật").replace("Sở Kế hoạch và Đầu tư", "Sở Tài chính")


def test_every_merger_names_its_source() -> None:
    rows = agency_mergers()
    assert len(rows) >= 13
    for row in rows:
        assert re.fullmatch(r"(Nghị định số \d+/2025/NĐ-CP|Nghị quyết số \d+/2025/QH15) ngày \d\d/\d\d/2025",
                            row.short_source), row
        assert row.level in ("national", "province") and row.before != row.after and row.date.year == 2025


def test_the_provincial_departments_merged_in_2025_are_all_there() -> None:
    merged = {(m.before, m.after) for m in agency_mergers() if m.level == "province"}
    assert {("Sở Kế hoạch và Đầu tư", "Sở Tài chính"), ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
            ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"),
            ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
            ("Sở Nông nghiệp và Phát triển nông thôn", "Sở Nông nghiệp và Môi trường"),
            ("Sở Giao thông vận tải", "Sở Xây dựng")} <= merged


def test_a_department_goes_on_under_its_new_body_and_its_new_province() -> None:
    assert [n for n, _ in successors("Sở Giao thông vận tải tỉnh Lai Châu", "tỉnh Lai Châu")] == [
        "Sở Xây dựng tỉnh Lai Châu"]
    names = [n for n, _ in successors("Sở Tài nguyên và Môi trường tỉnh Đắk Nông", "tỉnh Đắk Nông")]
    assert names == ["Sở Nông nghiệp và Môi trường tỉnh Đắk Nông", "Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng"]
    assert successors("Sở Xây dựng tỉnh Lai Châu", "tỉnh Lai Châu") == []


def test_agency_lists_tasks_given_before_the_merger(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(PLAN_2022, encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text(PLAN_2026, encoding="utf-8")
    workspace = str(tmp_path / "ws")
    assert runner.invoke(cli, ["build", str(tmp_path / "docs"), "--workspace", workspace]).exit_code == 0
    result = runner.invoke(cli, ["agency", "So Tai chinh", "--workspace", workspace])
    assert result.stdout.splitlines() == [
        "Sở Tài chính tỉnh Lai Châu (agency:so-tai-chinh-tinh-lai-chau): 1 task",
        "  lead    ubnd-tinh-lai-chau/2026/30-kh-ubnd#I/1  Cập nhật danh mục dự án kêu gọi đầu tư."
        "  [deadline: trong quý II năm 2026]",
        "Sở Kế hoạch và Đầu tư tỉnh Lai Châu (agency:so-ke-hoach-va-dau-tu-tinh-lai-chau): 1 task",
        "  before the merger into Sở Tài chính tỉnh Lai Châu on 01/03/2025"
        " (Nghị định số 45/2025/NĐ-CP ngày 28/02/2025)",
        "  lead    ubnd-tinh-lai-chau/2022/12-kh-ubnd#I/1  Xây dựng danh mục dự án kêu gọi đầu tư."
        "  [deadline: trong quý II năm 2022]",
    ]
    # The body that continues keeps its id; the one that ceased keeps its own.
    from plankg.graph.queries import agency_tasks
    from plankg.graph.workspace import agency_workspace, load_graph

    rows = agency_workspace(Path(workspace), "Sở Tài chính")
    assert rows == agency_tasks(load_graph(Path(workspace)), "Sở Tài chính")
    assert [(r.agency_id, r.merged_into) for r in rows] == [
        ("agency:so-tai-chinh-tinh-lai-chau", None),
        ("agency:so-ke-hoach-va-dau-tu-tinh-lai-chau", "Sở Tài chính tỉnh Lai Châu")]


def test_a_body_of_a_merged_province_is_found_under_its_successor_without_the_unit_list(tmp_path: Path) -> None:
    from plankg.graph.units import unit_table
    from plankg.graph.workspace import agency_workspace, build_workspace

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text(PLAN_2022.replace("LAI CHÂU", "KON TUM").replace("Lai Châu", "Kon Tum"),
                                             encoding="utf-8")
    build_workspace([tmp_path / "docs"], tmp_path / "ws")
    unit_table.cache_clear()  # the build read it; the question must not
    rows = agency_workspace(tmp_path / "ws", "Sở Tài chính tỉnh Quảng Ngãi")
    assert [(r.agency, r.merged_into) for r in rows] == [
        ("Sở Kế hoạch và Đầu tư tỉnh Kon Tum", "Sở Tài chính tỉnh Quảng Ngãi")]
    assert unit_table.cache_info().currsize == 0
