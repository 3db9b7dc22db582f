"""Tables flattened one cell per line (PDF text extraction) rebuilt as Table blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.loaders.blocks import Paragraph, Table, blocks_of_lines, furniture_lines, render
from plankg.loaders.flattened import find_flattened
from plankg.loaders.sources import read_blocks

REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"

# A two-page appendix as a Công báo text twin lays it out: running heads and page numbers,
# the column header repeated on the second page, a row cut by the page break, group rows,
# a blank line and a "  " line after a row number, a signature stamp at the end.
FLAT = """CÔNG BÁO/Số 12/Ngày 01-06-2026
14
PHỤ LỤC
DANH MỤC NHIỆM VỤ TRIỂN KHAI KẾ HOẠCH
STT
Nhiệm vụ
Cơ quan
chủ trì
Cơ quan
phối hợp
Thời hạn
hoàn thành
I. Hoàn thiện thể chế về chuyển đổi số
1.
<two spaces>
Xây dựng Đề án chuyển đổi số trong
hoạt động của các cơ quan nhà nước
trên địa bàn tỉnh
Sở Khoa học
và Công nghệ
Các sở, ban,
ngành
Quý III/2026
2.
Rà soát, sửa đổi quy chế quản lý
cơ sở dữ liệu dùng chung của tỉnh
Văn phòng
Ủy ban nhân
dân tỉnh
Sở Tư pháp
Năm 2026
3.
Tổ chức tập huấn kỹ năng số cho cán
Sở Nội vụ
Các cơ quan,
đơn vị liên quan
Thường xuyên

CÔNG BÁO/Số 12/Ngày 01-06-2026
15
STT
Nhiệm vụ
Cơ quan
chủ trì
Cơ quan
phối hợp
Thời hạn
hoàn thành
bộ, công chức, viên chức cấp xã
II. Phát triển hạ tầng số
4.
Nâng cấp trung tâm dữ liệu của tỉnh
Sở Khoa học
và Công nghệ
Sở Tài chính
Hằng năm
CÔNG BÁO/Số 12/Ngày 01-06-2026
16
Ký bởi: CÔNG BÁO
Cơ quan: VĂN PHÒNG CHÍNH PHỦ""".replace("<two spaces>", "  ").split("\n")


def _texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


def _tables(lines: list[str]) -> list[Table]:
    return [b for b in blocks_of_lines(lines) if isinstance(b, Table)]


def test_fixture_rebuilds_rows_cell_by_cell() -> None:
    [table] = _tables(FLAT)
    group_i = "I. Hoàn thiện thể chế về chuyển đổi số"
    group_ii = "II. Phát triển hạ tầng số"
    assert _texts(table) == [
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn hoàn thành"],
        [group_i] * 5,
        ["1.", "Xây dựng Đề án chuyển đổi số trong hoạt động của các cơ quan nhà nước trên địa bàn tỉnh",
         "Sở Khoa học và Công nghệ", "Các sở, ban, ngành", "Quý III/2026"],
        ["2.", "Rà soát, sửa đổi quy chế quản lý cơ sở dữ liệu dùng chung của tỉnh",
         "Văn phòng Ủy ban nhân dân tỉnh", "Sở Tư pháp", "Năm 2026"],
        # The row cut by the page break goes on after the repeated header.
        ["3.", "Tổ chức tập huấn kỹ năng số cho cán bộ, công chức, viên chức cấp xã", "Sở Nội vụ",
         "Các cơ quan, đơn vị liên quan", "Thường xuyên"],
        [group_ii] * 5,
        ["4.", "Nâng cấp trung tâm dữ liệu của tỉnh", "Sở Khoa học và Công nghệ", "Sở Tài chính", "Hằng năm"],
    ]


def test_group_row_is_one_cell_in_every_column() -> None:
    [table] = _tables(FLAT)
    group = table.rows[1]
    assert all(cell is group[0] for cell in group)
    assert render([table]).text.splitlines()[1] == "I. Hoàn thiện thể chế về chuyển đổi số"


def test_cells_know_their_source_lines() -> None:
    [table] = _tables(FLAT)
    row = table.rows[2]
    assert [(c.where.line, c.where.table, c.where.row, c.where.cell) for c in row] == [
        (14, 1, 3, 1), (16, 1, 3, 2), (19, 1, 3, 3), (21, 1, 3, 4), (23, 1, 3, 5)]
    assert table.where.line == 5


def test_nothing_is_lost() -> None:
    blocks = blocks_of_lines(FLAT)
    cells = {c.where.line for b in blocks if isinstance(b, Table) for row in b.rows for c in row}
    in_cells = {n for b in blocks if isinstance(b, Table) for row in b.rows for c in row
                for n in range(1, len(FLAT) + 1) if FLAT[n - 1].strip() and FLAT[n - 1].strip() in c.text}
    paragraphs = {b.where.line for b in blocks if isinstance(b, Paragraph)}
    for n, raw in enumerate(FLAT, start=1):
        if raw.strip():
            assert n in paragraphs or n in cells or n in in_cells, (n, raw)


def test_repeated_header_and_furniture_stay_furniture_paragraphs() -> None:
    blocks = blocks_of_lines(FLAT)
    after = blocks[blocks.index(next(b for b in blocks if isinstance(b, Table))) + 1:]
    paragraphs = [b for b in after if isinstance(b, Paragraph)]
    assert [(p.text, p.furniture) for p in paragraphs[:4]] == [
        ("CÔNG BÁO/Số 12/Ngày 01-06-2026", True), ("15", True), ("STT", True), ("Nhiệm vụ", True)]
    assert all(p.furniture for p in paragraphs)
    assert "STT" not in render(blocks).text.split("\n")[3:]


def test_rows_render_as_assignment_lines() -> None:
    lines = render(blocks_of_lines(FLAT)).text.splitlines()
    assert "2. | Rà soát, sửa đổi quy chế quản lý cơ sở dữ liệu dùng chung của tỉnh | " \
           "Văn phòng Ủy ban nhân dân tỉnh | Sở Tư pháp | Năm 2026" in lines


def test_upper_case_header_wrapped_words() -> None:
    text = ["TT", "NHIỆM VỤ", "THỜI HẠN", "HOÀN THÀNH", "CƠ QUAN CHỦ", "TRÌ, THEO DÕI", "CƠ QUAN", "PHỐI HỢP",
            "I", "NHÓM NHIỆM VỤ VỀ THỂ CHẾ", "1", "Tổng rà soát hệ thống pháp luật", "Tháng 12/2026",
            "Bộ Tư pháp", "Các bộ, cơ quan, địa", "phương"]
    [flat] = find_flattened(text)
    assert _texts(flat.table(text)) == [
        ["TT", "NHIỆM VỤ", "THỜI HẠN HOÀN THÀNH", "CƠ QUAN CHỦ TRÌ, THEO DÕI", "CƠ QUAN PHỐI HỢP"],
        ["I"] + ["NHÓM NHIỆM VỤ VỀ THỂ CHẾ"] * 4,
        ["1", "Tổng rà soát hệ thống pháp luật", "Tháng 12/2026", "Bộ Tư pháp", "Các bộ, cơ quan, địa phương"],
    ]


def test_number_in_a_cell_is_not_a_row() -> None:
    # "28" (a target value) and "1. Bộ Tài chính ..." (an item in a cell) do not open rows.
    text = ["TT", "CHỈ TIÊU", "MỤC TIÊU", "CƠ QUAN CHỦ TRÌ", "CƠ QUAN PHỐI HỢP", "1", "Tỉ trọng công nghiệp",
            "28", "1. Bộ Công Thương", "2. Các bộ, cơ quan", "Bộ Tài chính", "2", "Tỉ lệ đô thị hóa", "45",
            "Bộ Xây dựng", "Các địa phương"]
    [flat] = find_flattened(text)
    assert _texts(flat.table(text))[1:] == [
        ["1", "Tỉ trọng công nghiệp", "28", "1. Bộ Công Thương\n2. Các bộ, cơ quan", "Bộ Tài chính"],
        ["2", "Tỉ lệ đô thị hóa", "45", "Bộ Xây dựng", "Các địa phương"],
    ]


def test_prose_is_not_a_table() -> None:
    text = ["STT là số thứ tự của nhiệm vụ.", "Cơ quan chủ trì chịu trách nhiệm.", "1. Sở Y tế chủ trì."]
    assert find_flattened(text) == []
    assert not _tables(text)


def test_table_ends_at_prose() -> None:
    text = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "1", "Rà soát quy hoạch", "Sở Xây dựng", "Năm 2026",
            "Phụ lục II", "Các sở, ngành căn cứ chức năng, nhiệm vụ được giao tổ chức triển khai thực hiện."]
    blocks = blocks_of_lines(text)
    assert [type(b).__name__ for b in blocks] == ["Table", "Paragraph", "Paragraph"]
    assert blocks[1].where.line == 9  # type: ignore[union-attr]


# --- the Công báo text twins against their PDFs -------------------------------------------

needs_realdocs = pytest.mark.skipif(not REALDOCS.is_dir(), reason="real documents not present")


def _rows_by_number(table: Table) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in table.rows:
        key = " ".join(row[0].text.split())
        out.setdefault(key, [" ".join(c.text.split()) for c in row])
    return out


def _assignment_tables(path: Path) -> list[Table]:
    return [b for b in read_blocks(path).blocks if isinstance(b, Table) and b.width >= 5]


@needs_realdocs
def test_844_text_twin_row_equals_pdf_row() -> None:
    [txt] = _assignment_tables(REALDOCS / "nat_QD-844-TTg_2026_KHHD-CT52.txt")
    [pdf] = _assignment_tables(REALDOCS / "nat_QD-844-TTg_2026_KHHD-CT52.pdf")
    assert len(txt.rows) == len(pdf.rows)
    txt_rows, pdf_rows = _rows_by_number(txt), _rows_by_number(pdf)
    for number in ("1.", "2.", "4.", "5.", "29."):
        assert txt_rows[number] == pdf_rows[number]
    assert txt_rows["1."][2] == "Các bộ ở Trung ương, Ủy ban nhân dân cấp tỉnh ở địa phương"


@needs_realdocs
@pytest.mark.parametrize(("name", "rows"), [
    ("nat_QD-844-TTg_2026_KHHD-CT52", 35), ("nat_NQ-105-CP_2026_CTHD-KL210", 39), ("nat_NQ-100-CP_2026_CTHD-CT49", 39),
])
def test_text_twins_rebuild_every_row(name: str, rows: int) -> None:
    tables = _assignment_tables(REALDOCS / f"{name}.txt")
    assert sum(len(t.rows) - 1 for t in tables) == rows


@needs_realdocs
def test_text_twin_furniture_stays_out_of_cells() -> None:
    path = REALDOCS / "nat_NQ-105-CP_2026_CTHD-KL210.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    heads = {i + 1 for i in furniture_lines(lines) if "CÔNG BÁO" in lines[i]}
    cells = {c.where.line for t in _assignment_tables(path) for row in t.rows for c in row}
    assert heads and not heads & cells


# --- mechanisms, each on a small table of its own -------------------------------------------

HEAD = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"]


def test_group_label_without_dot_is_the_number_cell() -> None:
    # "III Nhóm ..." sets the numeral in the number column, the title spanning the rest;
    # "I. Đổi mới ..." (with a dot) is one cell over the whole row.
    text = [*HEAD, "I Nhóm nhiệm vụ về thể chế", "1", "Rà soát quy hoạch", "Sở Xây dựng", "Sở Tài chính", "Năm 2026"]
    [flat] = find_flattened(text)
    table = flat.table(text)
    group = table.rows[1]
    assert [c.text for c in group] == ["I"] + ["Nhóm nhiệm vụ về thể chế"] * 4
    assert all(c is group[1] for c in group[1:])


def test_row_cut_by_a_page_break_without_a_repeated_header() -> None:
    # The cut cell goes on after the page's furniture, in its own column: the support
    # cell ended mid-phrase ("Ủy ban nhân dân các"), the task cell did not.
    text = [*HEAD, "1", "Xây dựng Đề án cải cách tiền lương", "Bộ Nội vụ", "Các bộ, Ủy ban nhân dân các",
            "Quý II/2026", "", "CÔNG BÁO/Số 1/Ngày 01-06-2026", "2", "tỉnh, thành phố", "2",
            "Rà soát biên chế", "Bộ Y tế", "Các bộ", "Năm 2026",
            "CÔNG BÁO/Số 1/Ngày 01-06-2026", "3", "CÔNG BÁO/Số 1/Ngày 01-06-2026", "4"]
    [table] = _tables(text)
    assert _texts(table)[1] == ["1", "Xây dựng Đề án cải cách tiền lương", "Bộ Nội vụ",
                                "Các bộ, Ủy ban nhân dân các tỉnh, thành phố", "Quý II/2026"]
    assert _texts(table)[2][0] == "2"


def test_line_of_spaces_marks_an_empty_cell() -> None:
    # " " after "Bộ Y tế": its box ends there, the support cell is empty.
    text = [*HEAD, "1", "Xây dựng Đề án miễn viện phí", "Bộ Y tế", " ", "Năm 2028",
            "2", "Rà soát quy hoạch", "Bộ Xây dựng", "Các bộ, ngành", "Năm 2026"]
    [flat] = find_flattened(text)
    assert _texts(flat.table(text))[1] == ["1", "Xây dựng Đề án miễn viện phí", "Bộ Y tế", "", "Năm 2028"]


def test_two_agency_cells_on_one_line_are_cut_apart() -> None:
    text = [*HEAD, "1", "Rà soát quy hoạch sử dụng đất", "Năm 2026",
            "2", "Điều chỉnh quy hoạch", "Bộ Nông nghiệp và Môi trường Các bộ, cơ quan, địa", "phương", "Quý II/2026"]
    rows = _texts(find_flattened(text)[0].table(text))
    assert rows[2] == ["2", "Điều chỉnh quy hoạch", "Bộ Nông nghiệp và Môi trường", "Các bộ, cơ quan, địa phương",
                       "Quý II/2026"]


def test_agency_wrapped_word_by_word_starts_its_cell() -> None:
    # A narrow column wraps "Các Bộ, ngành" word by word: "Các" opens the support cell,
    # never ends the lead cell.
    text = [*HEAD, "1", "Tuyên truyền về công tác phi chính phủ", "Bộ Ngoại", "giao", "Các", "Bộ,", "ngành,", "địa",
            "phương", "Thường xuyên", "2", "Ban hành quy chế", "Bộ Nội vụ", "Các bộ", "Năm 2026"]
    [flat] = find_flattened(text)
    assert _texts(flat.table(text))[1] == ["1", "Tuyên truyền về công tác phi chính phủ", "Bộ Ngoại giao",
                                           "Các Bộ, ngành, địa phương", "Thường xuyên"]


def test_cell_recurring_beside_a_row_number_is_no_running_head() -> None:
    # "Quý II/2026" over a row number "4" on three pages looks like a head and its page
    # number; the real head recurs on every page.
    lines: list[str] = []
    for page in range(1, 9):
        lines += ["CÔNG BÁO/Số 12/Ngày 01-06-2026", str(40 + page), "Rà soát", "Quý II/2026" if page < 4 else "Sở Y tế",
                  str(page), "Ban hành"]
    found = furniture_lines(lines)
    assert not any(lines[i] == "Quý II/2026" for i in found)
    assert sum(lines[i].startswith("CÔNG BÁO") for i in found) == 8


def test_agency_name_runs_on_across_a_line_break() -> None:
    # "… cấp tỉnh trình" / "Hội đồng nhân dân": one body submits to another, one cell;
    # "Bộ Tài chính, Bộ" / "Tư pháp": a head noun alone ends no cell.
    text = [*HEAD, "1", "Bố trí ngân sách địa phương hỗ trợ mức đóng", "Ủy ban nhân", "dân cấp tỉnh", "trình",
            "Hội", "đồng", "nhân", "dân cùng cấp", "Các cơ quan, tổ", "chức, đơn vị có", "liên quan.", "Hằng năm",
            "2", "Xây dựng Luật Bảo hiểm y tế sửa đổi.", "Bộ Y tế", "Bộ Tài chính, Bộ", "Tư pháp, các bộ,",
            "ngành liên quan", "Quý I/2029"]
    rows = _texts(find_flattened(text)[0].table(text))
    assert rows[1][2:4] == ["Ủy ban nhân dân cấp tỉnh trình Hội đồng nhân dân cùng cấp",
                            "Các cơ quan, tổ chức, đơn vị có liên quan."]
    assert rows[2][3] == "Bộ Tài chính, Bộ Tư pháp, các bộ, ngành liên quan"


def test_row_cut_by_a_page_break_goes_on_in_the_column_whose_name_was_cut() -> None:
    # After the break the task's rest comes first, then "thuộc trung ương …" in lower case:
    # it goes on with the support cell that ended on "phố trực", not with the product cell.
    text = ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời hạn",
            "1", "Tham mưu ban hành Nghị định quy định chi tiết", "và hướng dẫn thi hành Luật Ngân sách nhà",
            "Bộ Tài chính", "Các bộ, Ủy ban", "nhân dân các", "tỉnh, thành", "phố trực", "Nghị định", "Năm 2026",
            "", "CÔNG BÁO/Số 1/Ngày 01-06-2026", "80", "nước, trong đó có quy định việc thực hiện",
            "quản lý ngân sách theo kết quả", "thuộc trung", "ương và cơ", "quan liên", "quan",
            "2", "Rà soát biên chế", "Bộ Nội vụ", "Các bộ", "Nghị định", "Năm 2027",
            "CÔNG BÁO/Số 1/Ngày 01-06-2026", "81", "CÔNG BÁO/Số 1/Ngày 01-06-2026", "82"]
    [table] = _tables(text)
    assert _texts(table)[1][3:5] == [
        "Các bộ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương và cơ quan liên quan", "Nghị định"]


def test_word_wanting_a_number_goes_on_with_it() -> None:
    # "Trước" / "ngày" / "01/3/2027": a date is no cell of its own.
    text = [*HEAD, "1", "Ban hành văn bản quy phạm pháp luật", "Các bộ, cơ", "quan ngang bộ", "Các bộ,", "ngành",
            "Trước", "ngày", "01/3/2027", "2", "Rà soát thủ tục", "Bộ Tư pháp", "Các bộ", "Năm 2026"]
    [flat] = find_flattened(text)
    assert _texts(flat.table(text))[1][2:] == ["Các bộ, cơ quan ngang bộ", "Các bộ, ngành", "Trước ngày 01/3/2027"]


def test_numbered_items_of_a_cell_stay_together() -> None:
    # "2. Bộ Tài chính đầu mối" goes on with the "1." before it, not with the next column.
    text = ["TT", "CHỈ TIÊU", "MỤC TIÊU", "CƠ QUAN CHỦ TRÌ", "CƠ QUAN PHỐI HỢP", "1", "Hệ số ICOR", "4,5 - 4,8",
            "1. Các bộ, cơ quan, địa phương theo", "chức năng", "2. Bộ Tài chính đầu mối",
            "Các đơn vị có liên quan.", "2", "Tỉ lệ đô thị hóa", "45", "Bộ Xây dựng", "Các địa phương"]
    [flat] = find_flattened(text)
    assert _texts(flat.table(text))[1][3:] == [
        "1. Các bộ, cơ quan, địa phương theo chức năng\n2. Bộ Tài chính đầu mối", "Các đơn vị có liên quan."]


def test_page_number_is_on_the_side_of_the_head_it_always_is() -> None:
    # "2026" closing a row stands right before the running head; the page number follows it.
    lines: list[str] = []
    for page in range(1, 5):
        lines += ["CÔNG BÁO/Số 242/Ngày 22-04-2026", str(60 + page), "Kiện toàn tổ chức", "Bộ Ngoại giao", "2026"]
    lines.append("Hết.")
    found = furniture_lines(lines)
    assert not any(lines[i] == "2026" for i in found)
    assert sum(lines[i].isdigit() for i in found) == 4


def test_note_spanning_a_row_does_not_end_the_table() -> None:
    # A paragraph across the table between rows 1 and 2 (prose lines, the last one short) is
    # a row of its own, spanning the columns after the number; row 2 follows it.
    text = [*HEAD, "1", "Rà soát quy hoạch", "Sở Xây dựng", "Sở Tài chính", "Năm 2026",
            "Các bộ, cơ quan, địa phương xây dựng dự án trong đó mô tả các hoạt động của dự án, sản phẩm,",
            "kết quả của dự án, cơ quan thực hiện và thời gian thực hiện (chi tiết trong Kế hoạch của cơ quan,",
            "đơn vị).", "2", "Lập kế hoạch", "Sở Tài chính", "Các sở", "Năm 2027"]
    [flat] = find_flattened(text)
    rows = _texts(flat.table(text))
    assert len(rows) == 4
    assert rows[2][0] == "" and rows[2][1].endswith("Kế hoạch của cơ quan, đơn vị).")
    assert rows[3] == ["2", "Lập kế hoạch", "Sở Tài chính", "Các sở", "Năm 2027"]


def test_cells_merged_on_one_line_are_cut_apart() -> None:
    # The task's last line with the lead cell ("… phù hợp Bộ Y tế"), an agency cell with the
    # deadline ("Các tỉnh, thành phố Nhiệm vụ thường" / "xuyên").
    text = [*HEAD, "1", "Xây dựng Nghị định về tăng mức đóng bảo", "hiểm y tế theo lộ trình phù hợp Bộ Y tế",
            "Bộ Tài chính, các", "bộ, ngành", "Tháng 3/2027",
            "2", "Xây dựng cơ sở dữ liệu quốc gia về y tế", "Bộ Y tế", "Các tỉnh, thành phố Nhiệm vụ thường", "xuyên",
            "3", "Rà soát quy hoạch", "Bộ Xây dựng", "Các bộ, ngành", "Năm 2026"]
    rows = _texts(find_flattened(text)[0].table(text))
    assert rows[1][1:] == ["Xây dựng Nghị định về tăng mức đóng bảo hiểm y tế theo lộ trình phù hợp", "Bộ Y tế",
                           "Bộ Tài chính, các bộ, ngành", "Tháng 3/2027"]
    assert rows[2][2:] == ["Bộ Y tế", "Các tỉnh, thành phố", "Nhiệm vụ thường xuyên"]

