"""The Excel workbook: written by XlsxWriter, opened and read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from plankg.cli import cli
from plankg.exports.workbook import TASK_COLUMNS, write_workbook
from plankg.graph import build_graph
from plankg.loaders import load_text

openpyxl = pytest.importorskip("openpyxl")

WASTE = "Thực hiện tốt quy chế quản lý chất thải"


def _rows(sheet: object) -> list[tuple[object, ...]]:
    return list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]


def test_the_seed_workbook_reads_back_with_lineage_gaps_and_deadlines(seed_workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "plans.xlsx"
    result = CliRunner().invoke(cli, ["export", "--format", "xlsx", "-o", str(path),
                                      "--workspace", str(seed_workspace)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Nhiệm vụ", "Khoảng trống", "Thời hạn"]
    tasks = book["Nhiệm vụ"]
    assert [c.value for c in tasks[1]] == [name for name, _ in TASK_COLUMNS]
    assert tasks.freeze_panes == "A2" and tasks.auto_filter.ref == f"A1:K{tasks.max_row}"
    assert tasks.column_dimensions["B"].width > 50 and tasks["B2"].alignment.wrap_text
    rows = _rows(tasks)[1:]
    assert len(rows) == 214 and [r[0] for r in rows] == list(range(1, 215))
    [waste] = [r for r in rows if r[1] and r[1].startswith(WASTE)]
    assert waste[2] == "Phòng Kinh tế, Hạ tầng và Đô thị phường Đoàn Kết"
    assert waste[6] == ("Kế hoạch: Triển khai thực hiện Quy hoạch tỉnh Lai Châu điều chỉnh thời kỳ 2021 - 2030, tầm "
                        "nhìn đến năm 2050 trên địa bàn phường Đoàn Kết")
    assert waste[7] == "III/7/7.1/-3"
    assert str(waste[8]).startswith("Xây dựng quy chế quản lý chất thải")  # its national parent
    assert str(waste[9]).startswith("Kế hoạch: Thực hiện Quy hoạch tỉnh Lai Châu") and waste[10] == "mạnh"
    gaps = _rows(book["Khoảng trống"])
    assert gaps[0][0] == "Loại" and {r[0] for r in gaps[1:]} >= {"Chưa được cấp dưới triển khai",
                                                                "Không có nhiệm vụ cấp trên", "Chỉ có liên kết yếu"}
    deadlines = _rows(book["Thời hạn"])
    assert deadlines[1][:2] == ("2022-09-30", "trong quý III năm 2022")


def test_a_focus_workbook_holds_the_cascade_around_it(seed_workspace: Path, tmp_path: Path) -> None:
    path = tmp_path / "focus.xlsx"
    result = CliRunner().invoke(cli, ["export", "--format", "xlsx", "-o", str(path), "--focus", "2233/KH-UBND",
                                      "--workspace", str(seed_workspace)])
    assert result.exit_code == 0, result.output
    rows = _rows(openpyxl.load_workbook(path)["Nhiệm vụ"])[1:]
    assert rows and all(r[6] == "Kế hoạch 2233/KH-UBND" for r in rows)


def test_cells_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    text = ("Số: 5/KH-UBND\nKẾ HOẠCH\nThử\n| STT | Nhiệm vụ | Cơ quan chủ trì |\n"
            "| 1 | =HYPERLINK(\"http://x\") | @Sở Y tế |\n")
    G = build_graph([load_text(text, source="a.txt")], link=False)
    path = write_workbook(G, tmp_path / "a.xlsx")
    cell = openpyxl.load_workbook(path)["Nhiệm vụ"]["B2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s" and cell.quotePrefix


def test_xlsx_needs_a_file_and_focus_needs_xlsx(seed_workspace: Path) -> None:
    runner = CliRunner()
    ws = ["--workspace", str(seed_workspace)]
    assert runner.invoke(cli, ["export", "--format", "xlsx", *ws]).exit_code == 2
    assert runner.invoke(cli, ["export", "--format", "json", "--focus", "2233/KH-UBND", *ws]).exit_code == 2


@pytest.mark.parametrize(("args", "sheet", "first"), [
    (["lineage", "Thực hiện tốt quy chế quản lý chất thải, chất gây ô nhiễm"], "Nguồn gốc", "Bước"),
    (["cascade", "06-NQ/TW"], "Triển khai", "Tầng"),
    (["gaps", "--level", "ward"], "Khoảng trống", "Loại"),
    (["agency", "so tai chinh"], "Cơ quan", "Cơ quan"),
    (["deadlines", "--before", "31/12/2026"], "Thời hạn", "Hạn"),
])
def test_query_commands_write_their_answer_to_excel(seed_workspace: Path, tmp_path: Path, args: list[str],
                                                    sheet: str, first: str) -> None:
    runner = CliRunner()
    ws = ["--workspace", str(seed_workspace)]
    path = tmp_path / "answer.xlsx"
    result = runner.invoke(cli, [*args, "-o", str(path), *ws])
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr == f"Wrote {path}\n"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [sheet]
    rows = _rows(book[sheet])
    assert rows[0][0] == first and len(rows) > 1
    answer = runner.invoke(cli, [*args, "--json", *ws]).stdout
    ids = [r[-1] for r in rows[1:] if r[-1]] if sheet != "Khoảng trống" else [r[3] for r in rows[1:]]
    assert ids and all(str(i) in answer for i in ids)  # the sheet holds the command's own answer
    assert runner.invoke(cli, [*args, "-o", str(tmp_path / "answer.csv"), *ws]).exit_code == 2
