"""The PDF reader: layout, tables, furniture and refusals.

Synthetic PDFs are written with fpdf2 and the DejaVu Sans font (skipped when either
is missing); the real Công báo PDFs of the development corpus are checked when
``../shared/realdocs`` exists next to the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from plankg.errors import InputError
from plankg.loaders.blocks import PageBreak, Paragraph, Source, Table, render
from plankg.loaders.pdf import read_pdf

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
REAL = Path(__file__).parents[2] / "shared" / "realdocs"

fpdf = pytest.importorskip("fpdf")
needs_font = pytest.mark.skipif(not FONT.exists(), reason="DejaVu Sans font not installed")
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="real documents (../shared/realdocs) not present")

HEADER = [
    ("UBND TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Số: 12/KH-UBND", "Độc lập - Tự do - Hạnh phúc"),
    ("", "Lâm Đồng, ngày 5 tháng 3 năm 2026"),
]
WRAPPED = (
    "1. Giao Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan rà soát, tổng hợp "
    "và báo cáo kết quả triển khai bảo hiểm y tế toàn dân trên địa bàn tỉnh trước ngày "
    "30 tháng 6 năm 2026 để Ủy ban nhân dân tỉnh xem xét."
)
COLUMNS = (15, 95, 40, 30)
TABLE_HEADER = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn")


def new_pdf() -> fpdf.FPDF:
    pdf = fpdf.FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    return pdf


def running_head(pdf: fpdf.FPDF, page: int) -> None:
    pdf.set_xy(60, 30)
    pdf.cell(400, 14, "BẢN TIN/Số 7/Ngày 05-03-2026")
    pdf.set_xy(500, 30)
    pdf.cell(30, 14, str(40 + page))


def table_row(pdf: fpdf.FPDF, y: float, texts: tuple[str, ...], height: float = 20) -> float:
    x = 60.0
    for width, text in zip(COLUMNS, texts, strict=True):
        pdf.rect(x, y, width * 4, height)
        pdf.set_xy(x + 2, y + 3)
        pdf.cell(width * 4 - 4, 14, text)
        x += width * 4
    return y + height


def write_plan(path: Path) -> Path:
    """Two pages: header, a wrapped paragraph, and a ruled table broken over the pages."""
    pdf = new_pdf()
    pdf.add_page()
    running_head(pdf, 1)
    y = 70.0
    for left, right in HEADER:
        pdf.set_xy(60, y)
        pdf.cell(180, 14, left, align="C")
        pdf.set_xy(300, y)
        pdf.cell(260, 14, right, align="C")
        y += 18
    pdf.set_xy(60, y + 30)
    pdf.cell(475, 14, "KẾ HOẠCH", align="C")
    pdf.set_xy(60, y + 60)
    pdf.multi_cell(475, 16, WRAPPED, align="J")
    y = table_row(pdf, 330, TABLE_HEADER)
    y = table_row(pdf, y, ("1.", "Rà soát danh sách", "Sở Y tế", "Quý I/2026"))
    pdf.line(60, y, 60 + sum(COLUMNS) * 4, y)
    # Row 2 starts at the foot of page 1 and ends on page 2.
    table_row(pdf, y, ("2.", "Cấp thẻ bảo hiểm y tế", "Sở Tài chính", "Năm 2026"))
    pdf.add_page()
    running_head(pdf, 2)
    y = table_row(pdf, 70, TABLE_HEADER)
    y = table_row(pdf, y, ("", "cho học sinh", "", ""))
    table_row(pdf, y, ("3.", "Báo cáo kết quả", "Sở Nội vụ", "Tháng 12/2026"))
    pdf.set_xy(60, 200)
    pdf.cell(400, 14, "Nơi nhận: như trên.")
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Source:
    if not FONT.exists():
        pytest.skip("DejaVu Sans font not installed")
    return read_pdf(write_plan(tmp_path_factory.mktemp("pdf") / "plan.pdf"))


def body(source: Source) -> list[str]:
    return [b.text for b in source.blocks if isinstance(b, Paragraph) and not b.furniture]


@needs_font
def test_two_column_header_becomes_a_layout_table(plan: Source) -> None:
    header = next(b for b in plan.blocks if isinstance(b, Table))
    assert [[c.text for c in row] for row in header.rows] == [list(pair) for pair in HEADER]
    lines = render(plan.blocks).text.splitlines()
    assert lines[:5] == ["UBND TỈNH LÂM ĐỒNG", "Số: 12/KH-UBND", *(right for _, right in HEADER)]


@needs_font
def test_wrapped_lines_join_into_one_paragraph(plan: Source) -> None:
    assert WRAPPED in body(plan)
    assert "KẾ HOẠCH" in body(plan)


@needs_font
def test_running_head_and_page_number_are_furniture(plan: Source) -> None:
    furniture = [(b.where.page, b.text) for b in plan.blocks if isinstance(b, Paragraph) and b.furniture]
    # The table header repeated atop page 2 is furniture too: kept, not read as a row.
    assert furniture == [(1, "BẢN TIN/Số 7/Ngày 05-03-2026"), (1, "41"), (2, "BẢN TIN/Số 7/Ngày 05-03-2026"), (2, "42"),
                         (2, "STT | Nhiệm vụ | Cơ quan chủ trì | Thời hạn")]
    assert not any("BẢN TIN" in text for text in body(plan))


@needs_font
def test_table_over_two_pages_is_one_table(plan: Source) -> None:
    tables = [b for b in plan.blocks if isinstance(b, Table)]
    assert len(tables) == 2  # the header and the task table
    rows = [[c.text for c in row] for row in tables[1].rows]
    assert rows == [
        list(TABLE_HEADER),  # repeated on page 2, kept once
        ["1.", "Rà soát danh sách", "Sở Y tế", "Quý I/2026"],
        ["2.", "Cấp thẻ bảo hiểm y tế cho học sinh", "Sở Tài chính", "Năm 2026"],  # cut by the break
        ["3.", "Báo cáo kết quả", "Sở Nội vụ", "Tháng 12/2026"],
    ]
    assert str(tables[1].rows[3][2].where) == "page 2, table 2, row 4, cell 3"
    assert body(plan)[-1] == "Nơi nhận: như trên."


@needs_font
def test_page_breaks_and_provenance(plan: Source) -> None:
    assert [b.page for b in plan.blocks if isinstance(b, PageBreak)] == [2]
    assert plan.format == "pdf" and plan.name == "plan.pdf"
    for block in plan.blocks:
        if isinstance(block, (Paragraph, Table)):
            assert block.where.page in (1, 2)
        if isinstance(block, Paragraph):  # a line of the page, or a table's repeated header row
            assert block.where.line is not None or (block.furniture and block.where.row is not None)


def test_pdf_without_text_is_refused(tmp_path: Path) -> None:
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 50, 50)
    path = tmp_path / "blank.pdf"
    pdf.output(str(path))
    with pytest.raises(InputError, match=r"no text layer \(scanned\?\): OCR it first") as info:
        read_pdf(path)
    assert info.value.path == str(path)


@needs_font
def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    pdf = new_pdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.cell(100, 14, "Bí mật")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(InputError, match="encrypted PDF: decrypt it first"):
        read_pdf(path)


@pytest.mark.parametrize("content", [b"Hello, not a PDF\n", b"%PDF-1.7\n1 0 obj garbage", b""])
def test_non_pdf_and_corrupt_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"not a PDF file|corrupt PDF") as info:
        read_pdf(path)
    assert info.value.path == str(path)


def test_size_limit_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"0" * 100)
    with pytest.raises(InputError, match="larger than the size limit"):
        read_pdf(path, max_bytes=50)
    with pytest.raises(InputError, match="no such file"):
        read_pdf(tmp_path / "missing.pdf")


# --- real Công báo PDFs ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def decision_844() -> Source:
    if not REAL.is_dir():
        pytest.skip("real documents not present")
    return read_pdf(REAL / "nat_QD-844-TTg_2026_KHHD-CT52.pdf")


@needs_real
def test_844_appendix_table(decision_844: Source) -> None:
    tables = [b for b in decision_844.blocks if isinstance(b, Table)]
    appendix = tables[-1]
    assert appendix.where.page == 7
    assert [c.text for c in appendix.rows[0]] == [
        "STT",
        "Tên nhiệm vụ cụ thể",
        "Cơ quan chủ trì",
        "Cơ quan phối hợp",
        "Kết quả",
        "Thời gian hoàn thành",
    ]
    group = appendix.rows[1]
    assert group[0].text.startswith("I. Đổi mới mạnh mẽ tư duy") and all(c is group[0] for c in group)
    first = next(row for row in appendix.rows if row[0].text == "1.")
    assert first[2].text == "Các bộ ở Trung ương, Ủy ban nhân dân cấp tỉnh ở địa phương"
    assert first[5].text == "Thường xuyên"
    # One table from page 7 to page 15: tasks 1 to 29 once each, six groups, header once.
    labels = [row[0].text for row in appendix.rows if row[0].text.rstrip(".").isdigit()]
    assert labels == [f"{n}." for n in range(1, 30)]
    assert len(appendix.rows) == 1 + 6 + 29
    assert sum(row[0].text == "STT" for row in appendix.rows) == 1
    # Row 8 is cut by the break between pages 8 and 9 and joined again.
    eighth = next(row for row in appendix.rows if row[0].text == "8.")
    assert "theo lộ trình phù hợp với việc mở rộng phạm vi quyền lợi" in eighth[1].text


@needs_real
def test_844_header_furniture_and_parts(decision_844: Source) -> None:
    header = decision_844.blocks[5]
    assert isinstance(header, Table)
    assert [c.text for c in header.rows[0]] == ["THỦ TƯỚNG CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    furniture = [b.text for b in decision_844.blocks if isinstance(b, Paragraph) and b.furniture]
    assert furniture[:5] == [
        "Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Cơ quan: VĂN PHÒNG CHÍNH PHỦ",
        "Ngày ký: 2026-05-27 07:55:25 +07:00",
        "CÔNG BÁO/Số 286/Ngày 27-05-2026",
        "89",
    ]
    assert furniture.count("CÔNG BÁO/Số 286/Ngày 27-05-2026") == 15
    assert [b.page for b in decision_844.blocks if isinstance(b, PageBreak)] == list(range(2, 16))
    assert not any("CÔNG BÁO/Số" in text or "Ký bởi" in text for text in body(decision_844))
    # The plan starts on page 2, its appendix on page 7.
    assert [decision_844.blocks[i] for i in decision_844.parts] == [PageBreak(2), PageBreak(7)]
    text = body(decision_844)
    assert "Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký ban hành." in text
    assert any(
        t.startswith("1. Tổ chức thể chế hóa") and "(sau đây gọi tắt là Chỉ thị số 52-CT/TW)." in t for t in text
    )


@needs_real
@pytest.mark.parametrize(
    ("name", "pages", "columns", "rows", "parts"),
    [
        # resolution; programme (page 2); Phụ lục I (page 9), II (page 25)
        ("nat_NQ-105-CP_2026_CTHD-KL210.pdf", 29, 7, 40, [2, 9, 25]),
        # resolution; programme (page 3); Phụ lục I to IV
        ("nat_NQ-109-CP_2026_CTHD-DHXIV.pdf", 67, 5, 148, [3, 23, 32, 35, 55]),
        ("nat_NQ-100-CP_2026_CTHD-CT49.pdf", 20, 6, 40, [2, 9]),
        # the plan is the resolution's own text; only the appendix is a part
        ("nat_NQ-116-CP_2026_KH-KL213.pdf", 14, 5, 46, [9]),
    ],
)
def test_real_resolutions(name: str, pages: int, columns: int, rows: int, parts: list[int]) -> None:
    source = read_pdf(REAL / name)
    assert 1 + sum(isinstance(b, PageBreak) for b in source.blocks) == pages
    data = [b for b in source.blocks if isinstance(b, Table) and b.width == columns]
    assert max(len(t.rows) for t in data) == rows
    assert not any("CÔNG BÁO/Số" in text for text in body(source))
    starts = [source.blocks[i] for i in source.parts]
    assert starts == [PageBreak(p) for p in parts]


@needs_real
def test_legacy_font_text_layer_is_refused() -> None:
    with pytest.raises(InputError, match=r"text layer unreadable \(legacy font\?\)"):
        read_pdf(REAL / "prov_LamDong_TB-493-UBND_2025_ket-luan-chi-so_legacyfont.pdf")
