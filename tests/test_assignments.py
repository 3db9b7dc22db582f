"""Assignment tables (biểu phân công, phụ lục) and inline assignment fields.

Self-made fixtures in ``tests/data/assignments/`` cover the layouts: a two-row upper-case
header repeated at a page break, group and sub-group rows, a row cut by a page break, a
table inside the body with its columns in an unusual order, lists that are not assignment
tables, and the "Cơ quan chủ trì: …" lines that follow an item. The real Word files of
``../shared/realdocs`` are checked on rows read by hand from the documents; those tests
skip when the folder is absent.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from conftest import corpus_records

from plankg.loaders import agencies, load_file
from plankg.loaders import tasks as task_parser
from plankg.loaders.clean import clean_text
from plankg.loaders.deadlines import find_deadline, parse_deadline
from plankg.loaders.structure import build_tree, header_roles, table_header
from plankg.model import DocumentRecord, Level, Part, Task

DATA = Path(__file__).parent / "data" / "assignments"
REAL = Path(__file__).parents[2] / "shared" / "realdocs"


def all_tasks(record: DocumentRecord) -> list[Task]:
    """The tasks of a file, with those of the documents bound after it (its appendix)."""
    records: Iterable[Any] = getattr(record, "with_attachments", lambda: (record,))()
    return [t for r in records for t in r.tasks]


def by_path(tasks: list[Task]) -> dict[str, Task]:
    """Tasks by path; an appendix is a record of its own or a "PL" part of its plan, so
    its "PL" segment is dropped and a row reads "I/r3" either way."""
    return {"/".join(t.path[1:] if re.fullmatch(r"PL\d*", t.path[0]) else t.path): t for t in tasks}


# The last segment of a table row's path: "r3", "r1.2", "r2~2".
ROW = re.compile(r"(?:^|/)r\d[\d.]*(?:~\d+)?$")


def raw(agencies_: Iterable[Any]) -> list[str]:
    return [a.raw for a in agencies_]


# --- column headers ------------------------------------------------------------------

@pytest.mark.parametrize(("cells", "roles"), [
    (["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
     ["number", "task", "lead", "support", "deadline"]),
    (["TT", "NHIỆM VỤ", "THỜI HẠN", "CƠ QUAN CHỦ TRÌ", "CƠ QUAN PHỐI HỢP"],
     ["number", "task", "deadline", "lead", "support"]),
    (["STT", "Nhiệm vụ", "Sản phẩm", "Thời gian hoàn thành", "Chủ trì thực hiện", "Phối hợp thực hiện",
      "Theo dõi, kiểm tra, đôn đốc"],
     ["number", "task", "product", "deadline", "lead", "support", "monitor"]),
    (["TT", "Tên nhiệm vụ cụ thể", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"],
     ["number", "task", "lead", "support", "product", "deadline"]),
    (["Thời gian (Năm 2026)", "Nội dung", "Trách nhiệm thực hiện", "TT"], ["deadline", "task", "lead", "number"]),
    (["Đơn vị chủ trì", "Nhiệm vụ cụ thể", "Hình thức văn bản", "Tiến độ"], ["lead", "task", "product", "deadline"]),
])
def test_columns_are_found_by_their_header_words_in_any_order(cells: list[str], roles: list[str]) -> None:
    assert table_header(cells) == dict(enumerate(roles))


@pytest.mark.parametrize("cells", [
    ["STT", "Đơn vị", "Phân loại"],                       # a list of communes
    ["STT", "Đơn vị được kiểm tra", "Thời gian kiểm tra"],  # a schedule of inspections
    ["STT", "Tên xã, phường", "Phân loại", "Ghi chú"],
    ["1", "Rà soát quy hoạch", "Sở Xây dựng", "Năm 2026"],   # a data row
])
def test_a_table_without_task_and_lead_or_deadline_columns_is_no_assignment_table(cells: list[str]) -> None:
    assert table_header(cells) is None


def test_a_two_row_header_names_the_columns_of_its_merged_cell() -> None:
    rows = [["STT", "Nội dung", "Cơ quan thực hiện", "Cơ quan thực hiện", "Thời gian"],
            ["", "", "Chủ trì", "Phối hợp", ""]]
    assert header_roles(rows) == {0: "number", 1: "task", 2: "lead", 3: "support", 4: "deadline"}


# --- an appendix table -------------------------------------------------------------------

@pytest.fixture(scope="module")
def appendix() -> dict[str, Task]:
    return by_path(all_tasks(load_file(DATA / "phu-luc-phan-cong.txt")))


def test_appendix_rows_are_tasks_under_their_group_rows(appendix: dict[str, Task]) -> None:
    rows = [p for p in appendix if ROW.search(p)]
    assert rows == ["I/r1", "I/r2", "II/1/r1.1", "II/1/r1.2", "II/r2", "II/r3"]
    assert all(appendix[p].part is Part.TASKS for p in rows)


def test_row_cells_give_lead_support_deadline_and_product(appendix: dict[str, Task]) -> None:
    task = appendix["I/r1"]
    assert task.text == "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh"
    assert raw(task.lead) == ["Sở Tư pháp"] and raw(task.support) == ["Các sở, ban, ngành"]
    assert task.deadline is not None and (task.deadline.start, task.deadline.end) == (
        dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert task.product == "Báo cáo rà soát"


def test_a_row_cut_by_a_page_break_is_joined_cell_by_cell(appendix: dict[str, Task]) -> None:
    task = appendix["I/r2"]
    assert task.text.endswith("kết nối với cơ sở dữ liệu quốc gia về pháp luật.")
    assert task.product == "Cơ sở dữ liệu văn bản của tỉnh"
    assert len(task.lines) == 2  # the row and its rest after the repeated header


def test_repeated_header_and_column_numbers_are_no_tasks(appendix: dict[str, Task]) -> None:
    texts = [t.text for t in appendix.values()]
    assert not any("NỘI DUNG" in t or "(2)" in t for t in texts)


def test_lead_cells_are_split_into_agencies(appendix: dict[str, Task]) -> None:
    assert raw(appendix["II/r2"].lead) == ["Các bộ ở Trung ương", "Ủy ban nhân dân cấp tỉnh ở địa phương"]
    assert raw(appendix["II/1/r1.2"].lead) == ["Các sở, ban, ngành", "Ủy ban nhân dân cấp xã"]
    assert raw(appendix["II/r3"].lead) == ["Bộ Y tế"]


@pytest.mark.parametrize(("path", "start", "end", "continuous", "recurrence"), [
    ("I/r2", "2026-01-01", "2026-12-31", False, None),
    ("II/1/r1.1", None, None, True, None),
    ("II/1/r1.2", None, None, True, "yearly"),
    ("II/r2", "2026-01-01", "2030-12-31", False, None),
    ("II/r3", "2026-06-01", "2026-06-30", False, None),
])
def test_deadline_cells(appendix: dict[str, Task], path: str, start: str | None, end: str | None,
                        continuous: bool, recurrence: str | None) -> None:
    deadline = appendix[path].deadline
    assert deadline is not None
    got = deadline.to_dict()
    assert (got["start"], got["end"], got["continuous"], got["recurrence"]) == (start, end, continuous, recurrence)


# --- fields written after an item ----------------------------------------------------------

@pytest.fixture(scope="module")
def fields() -> dict[str, Task]:
    return by_path(all_tasks(load_file(DATA / "truong-phan-cong.txt")))


def test_field_bullets_set_the_item_above_them(fields: dict[str, Task]) -> None:
    task = fields["II/1/(2)"]
    assert task.text == "Sao lưu, duy trì các cơ sở dữ liệu trong hệ thống cũ."
    assert raw(task.lead) == ["Văn phòng UBND tỉnh"]
    assert raw(task.support) == ["Các sở, ban, ngành", "UBND các xã, phường, đặc khu"]
    assert task.deadline is not None and task.deadline.end == dt.date(2026, 8, 31)
    assert fields["II/1/(1)"].deadline is not None and fields["II/1/(1)"].deadline.continuous


def test_field_lines_are_no_tasks_and_no_part_of_the_text(fields: dict[str, Task]) -> None:
    assert not any("chủ trì" in t.text.lower() and t.text.startswith(("Đơn vị", "Cơ quan")) for t in fields.values())
    task = fields["II/2/a"]
    assert task.text == "Xây dựng Đề án hình thành mạng lưới chuyên gia pháp lý của tỉnh."
    assert raw(task.lead) == ["Sở Tư pháp"] and raw(task.support) == ["Các sở, ban, ngành"]
    assert task.product == "Quyết định của Ủy ban nhân dân tỉnh phê duyệt Đề án"
    assert task.deadline is not None and task.deadline.text == "Quý II/2026"


def test_an_executing_body_field_names_lead_and_supporters(fields: dict[str, Task]) -> None:
    task = fields["II/2/b"]
    assert raw(task.lead) == ["Sở Nội vụ"]
    assert raw(task.support) == ["Liên đoàn Lao động tỉnh", "Sở Tài chính"]


def test_phoi_hop_voi_in_running_text_gives_supporters(fields: dict[str, Task]) -> None:
    task = fields["II/2/c"]
    assert raw(task.lead) == ["Sở Nội vụ"]
    assert raw(task.support) == ["Sở Tài chính", "các cơ quan liên quan"]


def test_a_bracketed_note_does_not_set_the_deadline(fields: dict[str, Task]) -> None:
    assert fields["II/2/d"].deadline is not None and fields["II/2/d"].deadline.text == "trong năm 2026"
    assert fields["II/2/đ"].deadline is None  # the date of the cited decision


def test_two_fields_on_one_line_set_a_group(fields: dict[str, Task]) -> None:
    for path in ("II/3/a", "II/3/b"):
        assert raw(fields[path].lead) == ["Sở Nội vụ"] and raw(fields[path].support) == ["Văn phòng UBND tỉnh"]


def test_a_heading_over_agencies_assigns_its_section(fields: dict[str, Task]) -> None:
    for path in ("III/1/a", "III/1/b"):
        task = fields[path]
        assert raw(task.lead) == ["Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch"]
        assert raw(task.support) == ["Các sở, ban, ngành", "UBND các xã, phường, đặc khu"]
        assert task.deadline is not None and task.deadline.continuous
    assert not any(t.text.startswith("Sở Khoa học") for t in fields.values())


def test_purpose_items_are_kept_and_marked(fields: dict[str, Task]) -> None:
    assert {fields["I/1"].part, fields["I/2"].part} == {Part.PURPOSE}


# --- tables inside the body ---------------------------------------------------------------

@pytest.fixture(scope="module")
def body() -> dict[str, Task]:
    return by_path(all_tasks(load_file(DATA / "bang-trong-van-ban.txt")))


def test_a_table_in_unusual_column_order_with_the_year_in_its_header(body: dict[str, Task]) -> None:
    task = body["I/1/r2"]
    assert task.text == "Giải đáp kiến nghị thuộc thẩm quyền của Sở Y tế"
    assert raw(task.lead) == ["Sở Y tế"]  # "Lãnh đạo Sở Y tế"
    assert task.deadline is not None and task.deadline.text == "Ngày 13 tháng 3"
    assert task.deadline.end == dt.date(2026, 3, 13)
    assert body["I/1/r3"].deadline is not None and body["I/1/r3"].deadline.end == dt.date(2026, 5, 31)


def test_an_item_over_its_own_table_stays_a_task_when_it_assigns(body: dict[str, Task]) -> None:
    task = body["I/1"]
    assert raw(task.lead) == ["Báo và Phát thanh, Truyền hình tỉnh"]
    assert "|" not in task.text


def test_lists_of_communes_give_no_tasks(body: dict[str, Task]) -> None:
    assert not any(p.startswith(("I/2/", "I/3/")) for p in body)
    assert not any("Đức Trọng" in t.text and len(t.lead) for t in body.values())


def test_upper_case_header_without_number_column(body: dict[str, Task]) -> None:
    task = body["II/r1"]
    assert raw(task.lead) == ["Sở Nội vụ"] and raw(task.support) == ["Các sở, ban, ngành"]
    assert task.deadline is not None and task.deadline.end == dt.date(2026, 12, 15)
    assert task.part is Part.ORGANISATION
    assert raw(body["II/r2"].lead) == ["Sở Tài chính"] and body["II/r2"].support == ()


# --- a Word table ----------------------------------------------------------------------------

def test_a_word_table_with_merged_group_rows(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for text in ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Số: 40/KH-UBND", "Lâm Đồng, ngày 02 tháng 02 năm 2026",
                 "KẾ HOẠCH", "Kiểm soát thủ tục hành chính năm 2026", "I. NHIỆM VỤ",
                 "1. Các nhiệm vụ được phân công như sau:"):
        document.add_paragraph(text)
    rows = [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"],
            ["I", "Kiểm soát thủ tục hành chính", "", "", ""],
            ["1", "Công bố danh mục thủ tục hành chính", "Văn phòng UBND tỉnh", "Các sở, ban, ngành", "Quý I/2026"],
            ["2", "Rà soát, đơn giản hóa thủ tục hành chính", "", "Sở Tư pháp", "Năm 2026"],
            ["", "", "", "", ""],
            ["1", "Số hóa kết quả giải quyết thủ tục hành chính", "Sở Khoa học và Công nghệ", "", "Thường xuyên"]]
    table = document.add_table(rows=len(rows), cols=5)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 1).merge(table.cell(1, 4)).text = "Kiểm soát thủ tục hành chính"
    table.cell(4, 0).merge(table.cell(4, 4)).text = "II. Cải cách tổ chức bộ máy"
    table.cell(2, 2).merge(table.cell(3, 2)).text = "Văn phòng UBND tỉnh"  # a lead merged down
    document.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph("Sở Nội vụ theo dõi, đôn đốc việc thực hiện Kế hoạch này.")
    path = tmp_path / "bieu.docx"
    document.save(str(path))
    tasks = by_path(all_tasks(load_file(path)))
    rows_found = sorted(p for p in tasks if ROW.search(p))
    assert rows_found == ["I/1/I/r1", "I/1/I/r2", "I/1/II/r1"]
    assert raw(tasks["I/1/I/r2"].lead) == ["Văn phòng UBND tỉnh"]
    assert raw(tasks["I/1/I/r2"].support) == ["Sở Tư pháp"]
    assert tasks["I/1/II/r1"].deadline is not None and tasks["I/1/II/r1"].deadline.continuous


# --- the shared mechanism ---------------------------------------------------------------------

CTX = agencies.Context(Level.PROVINCE, "tỉnh Lâm Đồng")


@pytest.mark.parametrize(("value", "members"), [
    ("Các bộ ở Trung ương, Ủy ban nhân dân cấp tỉnh ở địa phương",
     ["Các bộ ở Trung ương", "Ủy ban nhân dân cấp tỉnh ở địa phương"]),
    ("Bộ Y tế", ["Bộ Y tế"]),
    ("Sở Tư pháp; UBND các xã, phường, đặc khu", ["Sở Tư pháp", "UBND các xã, phường, đặc khu"]),
    ("Các sở, ban, ngành, địa phương", ["Các sở, ban, ngành, địa phương"]),
    ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
    ("Cơ quan thuế, các đơn vị cấp tỉnh và các địa phương", ["Cơ quan thuế", "các đơn vị cấp tỉnh", "các địa phương"]),
    ("Cơ quan, địa phương có liên quan", ["Cơ quan, địa phương có liên quan"]),
    ("Ban Chỉ đạo các quân khu; Ban Chỉ đạo các tỉnh.", ["Ban Chỉ đạo các quân khu", "Ban Chỉ đạo các tỉnh"]),
    ("Sở Thông tin và Truyền thông đôn đốc, hướng dẫn các đơn vị, địa phương triển khai thực hiện.",
     ["Sở Thông tin và Truyền thông"]),
    ("Theo phân công tại Quyết định số 1441/QĐ-UBND ngày 25/9/2025", []),
])
def test_agency_lists_of_cells_and_fields(value: str, members: list[str]) -> None:
    assert raw(agencies.split_agencies(value, CTX)) == members


@pytest.mark.parametrize(("text", "expected"), [
    ("Tổ chức sơ kết trong năm 2026 (trong đó, báo cáo sơ kết trước ngày 30/6/2026).", "trong năm 2026"),
    ("Tổ chức sơ kết Kế hoạch (trong đó, báo cáo sơ kết trước ngày 30/6/2026).", None),
    ("Triển khai (Quyết định số 12/QĐ-UBND ngày 12/3/2025) hoàn thành trong quý II/2026.", "trong quý II/2026"),
    ("Triển khai Kế hoạch (Quyết định số 12/QĐ-UBND hoàn thành trước ngày 12/3/2025).", None),
    ("Rà soát văn bản (hoàn thành trước ngày 30/6/2026).", "trước ngày 30/6/2026"),
    ("Báo cáo kết quả (Quý II/2026).", "Quý II/2026"),
])
def test_bracketed_notes_and_cited_documents_give_no_deadline(text: str, expected: str | None) -> None:
    found = find_deadline(text)
    assert (found.text if found else None) == expected


def test_a_cited_documents_date_in_a_deadline_cell_is_no_date() -> None:
    deadline = parse_deadline("Theo các mốc thời gian tại Phương án số 7178/PA-UBND ngày 14/11/2025")
    assert deadline is not None and deadline.start is None and deadline.end is None


def test_every_table_line_is_kept_in_the_tree() -> None:
    lines = clean_text((DATA / "phu-luc-phan-cong.txt").read_text(encoding="utf-8"))
    root = build_tree(lines)
    kept = {n for node in root.walk() for n in node.all_lines}
    assert {n for line in lines for n in line.lines} <= kept


# --- real documents ---------------------------------------------------------------------------

def real(name: str) -> dict[str, Task]:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{name} is not in ../shared/realdocs")
    return by_path(all_tasks(load_file(path)))


def check(tasks: dict[str, Task], path: str, lead: list[str], support: list[str], deadline: str | None,
          text: str = "") -> None:
    task = tasks[path]
    assert task.text.startswith(text), task.text
    assert raw(task.lead) == lead, path
    assert raw(task.support) == support, path
    assert (task.deadline.text if task.deadline else None) == deadline, path


# Rows of the appendix "PHÂN CÔNG THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026", read in the document.
CCHC_2026 = [
    ("I/r2", ["Sở Tư pháp", "UBND các xã, phường, đặc khu"], [], "Trước ngày 31/01 năm liền kề",
     "Định kỳ thực hiện việc công bố danh mục"),
    ("I/r4", ["Sở Tư pháp"], ["Sở Khoa học và Công nghệ"], "Trong năm 2026",
     "Tham mưu UBND tỉnh triển khai ứng dụng AI"),
    ("II/r4", ["Các sở, ban, ngành"], ["Văn phòng UBND tỉnh", "UBND các xã, phường, đặc khu"],
     "Thường xuyên trong năm", "Tổ chức rà soát, công bố thủ tục hành chính nội bộ"),
    ("II/r9", ["Thanh tra tỉnh"], ["Sở Nội vụ", "Văn phòng UBND tỉnh"], "Thường xuyên trong năm",
     "Tổ chức thanh tra trách nhiệm"),
    ("II/r10", ["Văn phòng UBND tỉnh"], [], "Thường xuyên trong năm", "Tổ chức kiểm tra, chấn chỉnh tác phong"),
    ("II/r11", ["Các sở, ban, ngành, địa phương"], ["Văn phòng UBND tỉnh"], "Định kỳ hằng tháng",
     "Công khai trên Trang thông tin điện tử"),
    ("III/r2", ["Các cơ quan, đơn vị, địa phương"], ["Sở Nội vụ"], "Thường xuyên trong năm",
     "Rà soát, đảm bảo cơ cấu số lượng lãnh đạo"),
    ("IV/r3", ["Sở Nội vụ"], ["Các cơ quan, đơn vị liên quan"],
     "Ban hành kế hoạch chậm nhất là ngày 31/12/2025 và tổ chức mở lớp theo kế hoạch đề ra",
     "Xây dựng và tổ chức thực hiện đầy đủ, kịp thời Kế hoạch đào tạo"),
    ("V/r2", ["Các địa phương", "các cơ quan có nguồn thu nộp ngân sách nhà nước"], ["Sở Tài chính"],
     "Trong năm 2026", "Thực hiện đồng bộ các giải pháp"),
    ("VI/r1", ["Sở Khoa học và Công nghệ"], ["Các cơ quan, đơn vị, địa phương"],
     "Ban hành kế hoạch trong tháng 01/2026 và tổ chức thực hiện",
     "Xây dựng và tổ chức thực hiện kế hoạch chuyển đổi số"),
    ("VI/r10", ["Công an tỉnh"], ["Sở Khoa học và Công nghệ"], "Trong năm 2026", "Giao Công an tỉnh tham mưu"),
    ("VII/r2", ["Sở Nội vụ"], ["Các cơ quan, đơn vị, địa phương"],
     "Ban hành kế hoạch trong tháng 01/2026 và tổ chức thực hiện", "Tham mưu ban hành Kế hoạch kiểm tra"),
    ("VII/r2~2", ["Các cơ quan, đơn vị, địa phương"], [],
     "Ban hành kế hoạch trong tháng 01/2026, tổ chức kiểm tra chậm nhất trong tháng 6/2026 và báo cáo kết quả khắc "
     "phục các tồn tại, hạn chế phát hiện qua kiểm tra chậm nhất trong tháng 8/2026",
     "Tham mưu ban hành Kế hoạch kiểm tra"),
    ("VII/r6", ["Sở Nội vụ"], ["Văn phòng UBND tỉnh", "Sở Tư pháp", "Sở Tài chính", "Sở Khoa học và Công nghệ",
                                  "Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh"],
     "Trước ngày 05 của tháng liền kề", "Tham mưu UBND tỉnh tự đánh giá chỉ số"),
]


@pytest.mark.parametrize(("path", "lead", "support", "deadline", "text"), CCHC_2026)
def test_real_cchc_2026_appendix_rows(path: str, lead: list[str], support: list[str], deadline: str,
                                      text: str) -> None:
    check(real("prov_LamDong_KH-UBND_CCHC-nam-2026.docx"), path, lead, support, deadline, text)


def test_real_cchc_2026_appendix_is_read_whole() -> None:
    rows = [t for p, t in real("prov_LamDong_KH-UBND_CCHC-nam-2026.docx").items() if ROW.search(p)]
    assert len(rows) == 52  # 4 + 12 + 5 + 4 + 6 + 11 + 10 rows in seven groups
    assert sum(1 for t in rows if t.lead) == 49  # three rows cite the assignment of another decision
    assert all(t.deadline for t in rows)
    assert {t.path[-2] for t in rows} == {"I", "II", "III", "IV", "V", "VI", "VII"}


CCHC_2026_2030 = [
    ("I/r4", ["Sở Tư pháp"], ["Sở Khoa học và Công nghệ"], "Năm 2026", "Tham mưu UBND tỉnh triển khai ứng dụng AI"),
    ("II/r1", ["Các sở, ban, ngành"], ["Sở Tư pháp", "Văn phòng UBND tỉnh"], "Hằng năm", "Kiểm soát, thẩm định"),
    ("V/r2", ["Cơ quan thuế", "các đơn vị cấp tỉnh", "các địa phương"], ["Sở Tài chính"], "Hằng năm",
     "Thực hiện đồng bộ các giải pháp"),
    # The parenthesis names the Office's unit that does the work: one lead, the Office.
    ("VI/r7", ["Văn phòng UBND tỉnh (Trung tâm Thông tin)"], ["Sở Khoa học và Công nghệ"], "Trong quý I năm 2026",
     "Hoàn thành và đưa Trung tâm IOC vào hoạt động"),
    ("VII/r9", ["Sở Nội vụ"], ["Các cơ quan, đơn vị, địa phương"], "Hằng năm", "Thường xuyên thực hiện khảo sát"),
    ("VII/r13", ["Sở Nội vụ"], ["Các cơ quan, đơn vị, địa phương"], "Hằng năm và giai đoạn",
     "Tổng kết công tác cải cách hành chính"),
]


@pytest.mark.parametrize(("path", "lead", "support", "deadline", "text"), CCHC_2026_2030)
def test_real_cchc_2026_2030_appendix_rows(path: str, lead: list[str], support: list[str], deadline: str,
                                           text: str) -> None:
    check(real("prov_LamDong_KH-UBND_CCHC-2026-2030_duthao.docx"), path, lead, support, deadline, text)


def test_real_propaganda_plan_table_in_the_body() -> None:
    tasks = real("prov_LamDong_KH-UBND_tuyen-truyen-CCHC-2026.docx")
    rows = {p: t for p, t in tasks.items() if p.startswith("III/1/") and ROW.search(p)}
    assert len(rows) == 21  # 11 departments, 10 communes
    check(tasks, "III/1/a/r3", ["Công an tỉnh"], [], "Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 10 tháng 4")
    assert tasks["III/1/a/r3"].deadline is not None and tasks["III/1/a/r3"].deadline.end == dt.date(2026, 4, 10)
    check(tasks, "III/1/b/r2", ["UBND xã Đức Trọng"], [], "Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 24 tháng 4")


def test_real_inspection_plan_schedule_is_no_assignment_table() -> None:
    tasks = real("prov_LamDong_KH-UBND_kiem-tra-CCHC-2026.docx")
    assert not any(ROW.search(p) for p in tasks)
    # The report outline of Phụ lục II ("ĐỀ CƯƠNG BÁO CÁO") is no list of tasks.
    assert sum(t.text.startswith("Việc ban hành và tổ chức thực hiện Kế hoạch") for t in tasks.values()) <= 1


CDS = [
    ("1/(1)", ["Sở Khoa học và Công nghệ"], [], "Thực hiện thường xuyên", "Tiếp tục phối hợp với các doanh nghiệp"),
    ("1/(2)", ["Văn phòng UBND tỉnh"], ["Các sở, ban, ngành", "UBND các xã, phường, đặc khu"], "Trong tháng 8/2025",
     "Sao lưu, duy trì các cơ sở dữ liệu"),
    ("1/(4)", ["Công an tỉnh"], [], "Thực hiện thường xuyên", "Phối hợp với các sở, ban, ngành"),
    ("1/(5)", ["Sở Khoa học và Công nghệ", "UBND các xã, phường, đặc khu"], [], "Trong tháng 11/2025",
     "Phối hợp các doanh nghiệp viễn thông"),
    ("2/(3)", ["UBND các xã, phường, đặc khu"], [], "Trong tháng 8/2025", "Khẩn trương định danh vị trí việc làm"),
    ("2/(5)", ["Các sở, ban, ngành thuộc tỉnh", "UBND các xã, phường, đặc khu"], [], "Thực hiện thường xuyên",
     "Tiếp tục triển khai thực hiện việc niêm yết"),
    ("2/(6)", ["Sở Tài chính"], [], "Trong tháng 8/2025", "Khẩn trương nghiên cứu, báo cáo Hội đồng nhân dân"),
    ("2/(7)", ["Sở Nội vụ"], [], "Thực hiện thường xuyên", "Phối hợp với Bộ Nội vụ"),
]


@pytest.mark.parametrize(("path", "lead", "support", "deadline", "text"), CDS)
def test_real_field_bullets_of_the_steering_committee_letter(path: str, lead: list[str], support: list[str],
                                                             deadline: str, text: str) -> None:
    check(real("prov_LamDong_CV-BCD-CDS_nhiem-vu-CQDP-2-cap.docx"), path, lead, support, deadline, text)


def test_real_lead_lists_under_a_heading() -> None:
    tasks = real("nat_KH-252-BCDQG1237_2013_tim-kiem-hai-cot-liet-si.txt")
    task = next(t for p, t in tasks.items() if p.endswith("I/1/a") and "/II/" not in p)
    assert raw(task.lead) == ["Ban Chỉ đạo quốc gia", "Các Bộ, ngành liên quan", "Ban Chỉ đạo các quân khu",
                              "Ban Chỉ đạo các tỉnh"]
    assert task.deadline is not None and task.deadline.text == "Tháng 12/2013 và thường xuyên"
    assert not any(t.text == "Ban Chỉ đạo quốc gia." for t in tasks.values())


def test_real_inline_fields_of_a_decision() -> None:
    tasks = real("nat_NQ-97-CP_2026_CTHD-NQ66-bosung.txt")
    task = next(t for t in tasks.values() if "Xây dựng Đề án hình thành, phát triển mạng lưới" in t.text)
    assert raw(task.lead) == ["Bộ Tư pháp"] and raw(task.support) == ["Các bộ, ngành"]
    assert task.product == "Quyết định của Thủ tướng Chính phủ phê duyệt Đề án"
    assert task.deadline is not None and task.deadline.end == dt.date(2026, 12, 31)


def test_what_a_text_assigns_without_a_body_is_shared_by_every_context(
        seed_records: dict[str, DocumentRecord], tmp_path: Path) -> None:
    """parse_own reads a text that assigns no body once for every document (a ward plan
    restates its province's items): the premise, that such a reading does not depend on the
    context and that whether a text assigns a body does not either, holds for every task and
    section text of the seeds and of a synthetic cascade; and what parse_own answers in one
    context after reading the text in another is what that context gives."""
    records = [*seed_records.values(), *corpus_records("cascade", tmp_path, seed_records, provinces=2, wards=2,
                                                       local=2)]
    texts = sorted({t.text for r in records for part in r.with_attachments() for t in (*part.tasks, *part.sections)})
    contexts = [agencies.Context(), agencies.Context(Level.NATIONAL),
                agencies.Context(Level.PROVINCE, "tỉnh Lai Châu"),
                agencies.Context(Level.COMMUNE, "tỉnh Lâm Đồng", None, "phường Đoàn Kết")]
    bodiless = 0
    for text in texts:
        read = [task_parser._parse_own(text, ctx) for ctx in contexts]
        assert len({(bool(a.lead), bool(a.support)) for a in read}) == 1, text
        if not read[0].lead and not read[0].support:
            bodiless += 1
            assert all(a == read[0] for a in read), text
        for first, second in itertools.pairwise(contexts):
            task_parser.parse_own(text, first)
            assert task_parser.parse_own(text, second) == task_parser._parse_own(text, second), text
    assert 0 < bodiless < len(texts)
