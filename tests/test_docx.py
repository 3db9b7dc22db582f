"""Tests for plankg.loaders.docx: Word documents -> text lines."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.parser import parse_xml
from docx.text.paragraph import Paragraph

from plankg.errors import InputError
from plankg.loaders.docx import read_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _save(document: Document, path: Path) -> Path:
    document.save(str(path))
    return path


def _lines(path: Path) -> list[str]:
    text = read_docx(path)
    assert text.endswith("\n")
    return text[:-1].split("\n")


def _level(ilvl: int, fmt: str, text: str, *, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def _add_list(
    document: Document, abstract_id: int, levels: list[str], num_ids: dict[int, str]
) -> None:
    """Add one abstract numbering definition and the list instances using it.

    ``num_ids`` maps a numId to the overrides placed inside its ``w:num``.
    """
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/>{"".join(levels)}</w:abstractNum>'
    )
    # The schema wants every abstractNum before the first num.
    first_num = numbering.find(f"{{{W_NS}}}num")
    if first_num is None:
        numbering.append(abstract)
    else:
        first_num.addprevious(abstract)
    for num_id, overrides in num_ids.items():
        numbering.append(
            parse_xml(
                f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
            )
        )


def _numbered(document: Document, text: str, num_id: int, ilvl: int = 0) -> Paragraph:
    paragraph = document.add_paragraph(text)
    # A fresh unstyled paragraph has an empty pPr, so appending keeps schema order.
    paragraph._p.get_or_add_pPr().append(
        parse_xml(
            f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{ilvl}"/>'
            f'<w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return paragraph


# --- reading order and layout -----------------------------------------------------------


def test_paragraphs_and_tables_in_reading_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Căn cứ Kế hoạch số 3045/KH-UBND")
    table = document.add_table(rows=2, cols=3)
    rows = [("STT", "Nhiệm vụ", "Chủ trì"), ("1", " Lập quy hoạch ", "Sở Xây dựng")]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    document.add_table(rows=1, cols=2).rows[0].cells[1].text = "Ghi chú"
    document.add_paragraph("")
    document.add_paragraph("Nơi nhận:")

    assert _lines(_save(document, tmp_path / "order.docx")) == [
        "Căn cứ Kế hoạch số 3045/KH-UBND",
        "STT | Nhiệm vụ | Chủ trì",
        "1 | Lập quy hoạch | Sở Xây dựng",
        "II. TỔ CHỨC THỰC HIỆN",
        " | Ghi chú",
        "",
        "Nơi nhận:",
    ]


def test_merged_cells(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    title = table.cell(0, 0).merge(table.cell(0, 1))  # horizontal: gridSpan
    title.text = "Nhiệm vụ"
    table.cell(0, 2).text = "Chủ trì"
    agency = table.cell(1, 2).merge(table.cell(2, 2))  # vertical: vMerge
    agency.text = "Sở Y tế"
    for row, (a, b) in zip(table.rows[1:], [("1", "Khám sàng lọc"), ("0", "0")], strict=True):
        row.cells[0].text = a
        row.cells[1].text = b

    assert _lines(_save(document, tmp_path / "merged.docx")) == [
        "Nhiệm vụ | Chủ trì",
        "1 | Khám sàng lọc | Sở Y tế",
        "0 | 0 | Sở Y tế",  # equal neighbours that are two cells stay two cells
    ]


def test_cell_with_several_paragraphs_and_nested_table(tmp_path: Path) -> None:
    document = docx.Document()
    cell = document.add_table(rows=1, cols=2).cell(0, 0)
    cell.text = "UBND TỈNH LAI CHÂU"
    cell.add_paragraph("  Số: 2233/KH-UBND  ")
    cell.add_table(rows=1, cols=2).cell(0, 1).text = "lồng"
    # A header laid out as a table ("Số: …" in a cell) is unfolded cell by cell, each
    # paragraph on its own line, so the header reader meets its parts one by one.
    assert _lines(_save(document, tmp_path / "cell.docx")) == [
        "UBND TỈNH LAI CHÂU", "Số: 2233/KH-UBND", "| lồng",
    ]


def test_data_table_cell_paragraphs_join(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Rà soát"
    table.cell(0, 0).add_paragraph("quy hoạch")
    table.cell(0, 1).add_table(rows=1, cols=2).cell(0, 1).text = "lồng"
    assert _lines(_save(document, tmp_path / "cell.docx")) == ["Rà soát quy hoạch | | lồng"]


def test_blocks_keep_cells_and_provenance(tmp_path: Path) -> None:
    from plankg.loaders.blocks import Paragraph as Para
    from plankg.loaders.blocks import Table
    from plankg.loaders.docx import read_docx_blocks

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "I. Cải cách thể chế"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "Rà soát"
    table.cell(1, 2).text = "Sở Tư pháp"
    source = read_docx_blocks(_save(document, tmp_path / "b.docx"))
    para, tbl = source.blocks
    assert isinstance(para, Para) and para.where.paragraph == 1
    assert isinstance(tbl, Table) and tbl.width == 3
    group, row = tbl.rows
    assert group[0] is group[1] is group[2] and group[0].text == "I. Cải cách thể chế"
    assert [c.text for c in row] == ["1", "Rà soát", "Sở Tư pháp"]
    assert (row[2].where.table, row[2].where.row, row[2].where.cell) == (1, 2, 3)


def test_soft_breaks(tmp_path: Path) -> None:
    document = docx.Document()
    body = document.add_paragraph()
    body.add_run("Phối hợp với")
    body.add_run().add_break()
    body.add_run("Sở Tài chính\tthực hiện")
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("KẾ HOẠCH")
    title.add_run().add_break()
    title.add_run("Triển khai thực hiện Quy hoạch tỉnh")
    heading = document.add_heading("PHẦN I", level=1)
    heading.add_run().add_break()
    heading.add_run("MỤC TIÊU")

    assert _lines(_save(document, tmp_path / "breaks.docx")) == [
        "Phối hợp với Sở Tài chính\tthực hiện",
        "KẾ HOẠCH",
        "Triển khai thực hiện Quy hoạch tỉnh",
        "PHẦN I",
        "MỤC TIÊU",
    ]


def test_hidden_text_and_nfc(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Lai Cha\u0302u")  # decomposed â
    paragraph.add_run(" (bản nháp)").font.hidden = True
    assert _lines(_save(document, tmp_path / "hidden.docx")) == ["Lai Châu"]


# --- numbering --------------------------------------------------------------------------


def test_builtin_list_styles(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Mục tiêu:")
    document.add_paragraph("Phát triển kinh tế", style="List Number")
    document.add_paragraph("Bảo đảm an sinh", style="List Number")
    document.add_paragraph("Sở Y tế", style="List Bullet")
    document.add_paragraph("Sở Giáo dục", style="List Bullet")
    document.add_paragraph("Giữ ổn định", style="List Number")

    assert _lines(_save(document, tmp_path / "styles.docx")) == [
        "Mục tiêu:",
        "1. Phát triển kinh tế",
        "2. Bảo đảm an sinh",
        "- Sở Y tế",
        "- Sở Giáo dục",
        "3. Giữ ổn định",
    ]


def test_multilevel_list(tmp_path: Path) -> None:
    document = docx.Document()
    _add_list(
        document,
        90,
        [
            _level(0, "decimal", "%1."),
            _level(1, "lowerLetter", "%2)"),
            _level(2, "lowerRoman", "(%3)"),
            _level(3, "bullet", "\uf0b7"),
        ],
        {
            101: "",
            # A second instance of the same list, restarted at 5 (per-numId counters).
            102: '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>',
        },
    )
    for text, num_id, ilvl in [
        ("Mục tiêu", 101, 0),
        ("Kinh tế", 101, 1),
        ("Tăng trưởng", 101, 2),
        ("Đầu tư", 101, 2),
        ("Xã hội", 101, 1),
        ("Giải pháp", 101, 0),
        ("Vốn", 101, 1),  # restarts at a) under the new level-0 item
        ("Ngân sách", 101, 3),
        ("Danh mục khác", 102, 0),
        ("Thêm", 102, 0),
        ("Tiếp tục", 101, 0),
    ]:
        _numbered(document, text, num_id, ilvl)

    assert _lines(_save(document, tmp_path / "multi.docx")) == [
        "1. Mục tiêu",
        "a) Kinh tế",
        "(i) Tăng trưởng",
        "(ii) Đầu tư",
        "b) Xã hội",
        "2. Giải pháp",
        "a) Vốn",
        "- Ngân sách",
        "5. Danh mục khác",
        "6. Thêm",
        "3. Tiếp tục",
    ]


def test_dotted_and_roman_levels(tmp_path: Path) -> None:
    document = docx.Document()
    _add_list(
        document,
        91,
        [
            _level(0, "upperRoman", "%1."),
            _level(1, "decimal", "%2."),
            _level(2, "decimal", "%2.%3."),
            _level(3, "upperLetter", "%4 -"),
        ],
        {201: ""},
    )
    for text, ilvl in [
        ("MỤC ĐÍCH", 0),
        ("NHIỆM VỤ", 0),
        ("Quy hoạch", 1),
        ("Rà soát", 2),
        ("Công bố", 2),
        ("Nhóm", 3),
        ("Đất đai", 1),
        ("Giao đất", 2),
    ]:
        _numbered(document, text, 201, ilvl)
    _numbered(document, "không còn đánh số", 0)  # numId 0 switches numbering off

    assert _lines(_save(document, tmp_path / "dotted.docx")) == [
        "I. MỤC ĐÍCH",
        "II. NHIỆM VỤ",
        "1. Quy hoạch",
        "1.1. Rà soát",
        "1.2. Công bố",
        "A - Nhóm",
        "2. Đất đai",
        "2.1. Giao đất",
        "không còn đánh số",
    ]


def test_numbered_cells_count_in_reading_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Trước bảng", style="List Number")
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "Trong bảng"
    cell.paragraphs[0].style = document.styles["List Number"]
    document.add_paragraph("Sau bảng", style="List Number")
    assert _lines(_save(document, tmp_path / "cells.docx")) == [
        "1. Trước bảng",
        "2. Trong bảng",
        "3. Sau bảng",
    ]


# --- refusals ---------------------------------------------------------------------------


def _docx_bytes(text: str = "Kế hoạch") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rewrite(
    source: bytes, target: Path, replace: dict[str, bytes], extra: dict[str, int] | None = None
) -> Path:
    """Copy a .docx, replacing members and adding members of N zero bytes."""
    with (
        zipfile.ZipFile(io.BytesIO(source)) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info)))
        for name, size in (extra or {}).items():
            with new.open(name, "w", force_zip64=True) as member:
                chunk = bytes(1 << 20)
                for _ in range(size >> 20):
                    member.write(chunk)
    return target


def test_zip_bomb_refused(tmp_path: Path) -> None:
    path = _rewrite(_docx_bytes(), tmp_path / "bomb.docx", {}, {"word/media/zeros.bin": 60 << 20})
    assert path.stat().st_size < 1 << 20  # small on disk, 60 MB unpacked
    with pytest.raises(InputError, match=r"document expands past the size limit \(zip bomb\?\)"):
        read_docx(path)


def test_high_compression_ratio_refused(tmp_path: Path) -> None:
    path = _rewrite(_docx_bytes(), tmp_path / "ratio.docx", {}, {"word/media/zeros.bin": 8 << 20})
    with pytest.raises(InputError, match="zip bomb") as info:
        read_docx(path)  # 8 MB is under the size limit, but it expands ~1000x
    assert "word/media/zeros.bin" in str(info.value)


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "small.docx"
    path.write_bytes(_docx_bytes())
    with pytest.raises(InputError, match="size limit"):
        read_docx(path, max_bytes=10_000)


@pytest.mark.parametrize(
    "content",
    [b"", b"Plain text pretending to be Word\n", b"PK\x03\x04broken"],
    ids=["empty", "text", "truncated zip"],
)
def test_not_a_zip(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_docx(path)
    assert str(info.value).startswith(f"{path}: not a .docx file")


def test_zip_without_document_part(tmp_path: Path) -> None:
    path = tmp_path / "book.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match=r"not a \.docx file"):
        read_docx(path)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_docx(tmp_path / "nope.docx")
    with pytest.raises(InputError, match="is a directory"):
        read_docx(tmp_path)


def test_empty_document(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("   ")
    with pytest.raises(InputError, match="empty document"):
        read_docx(_save(document, tmp_path / "blank.docx"))


# --- XML entities -------------------------------------------------------------------------

SECRET = "plankg-secret-7f3a9c"


def _with_doctype(source: bytes, doctype: str, reference: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    declaration, rest = xml.split("?>", 1)
    return (declaration + "?>" + doctype + rest.replace("MARKER", reference)).encode("utf-8")


def test_external_entity_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    source = _docx_bytes("before MARKER after")
    xml = _with_doctype(source, doctype, "&xxe;")
    path = _rewrite(source, tmp_path / "xxe.docx", {"word/document.xml": xml})

    try:
        text = read_docx(path)
    except InputError as exc:
        assert "DTD" in str(exc)
        assert SECRET not in str(exc)
    else:  # pragma: no cover - the DTD is refused today; unresolved would also be fine
        assert SECRET not in text


def test_entity_left_unresolved_without_the_dtd_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: even if the DTD slipped through, nothing is expanded."""
    import plankg.loaders.docx as loader

    monkeypatch.setattr(loader, "_declares_dtd", lambda data: False)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    source = _docx_bytes("before MARKER after")
    xml = _with_doctype(source, doctype, "&xxe;")
    path = _rewrite(source, tmp_path / "xxe.docx", {"word/document.xml": xml})
    assert read_docx(path) == "before  after\n"


def _disguised(source: bytes, disguise: str, doctype: str) -> dict[str, bytes]:
    """Members that hide a DTD from a guard sniffing the start of files named .xml."""
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    declaration, rest = members["word/document.xml"].decode("utf-8").split("?>", 1)
    if disguise == "comment":  # the DOCTYPE after 70 KiB of comment
        members["word/document.xml"] = (declaration + "?><!--" + "x" * 70_000 + "-->" + doctype + rest).encode()
    elif disguise == "utf-16":
        xml = declaration.replace("UTF-8", "UTF-16") + "?>" + doctype + rest
        members["word/document.xml"] = xml.encode("utf-16")
    else:  # the main part named main.dat, its content type declared by an override
        members["word/main.dat"] = (declaration + "?>" + doctype + rest).encode()
        del members["word/document.xml"]
        members["word/_rels/main.dat.rels"] = members.pop("word/_rels/document.xml.rels")
        for name in ("[Content_Types].xml", "_rels/.rels"):
            members[name] = members[name].replace(b"word/document.xml", b"word/main.dat")
    return members


@pytest.mark.parametrize("disguise", ["comment", "utf-16", "renamed"])
def test_a_dtd_is_refused_whatever_the_part_is_called_or_encoded(tmp_path: Path, disguise: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    doctype = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    members = _disguised(_docx_bytes("Kế hoạch"), disguise, doctype)
    path = tmp_path / f"{disguise}.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    # A main part not called document.xml is refused before its content is looked at.
    with pytest.raises(InputError, match="not a .docx file" if disguise == "renamed" else "declares a DTD") as info:
        read_docx(path)
    assert SECRET not in str(info.value)


def test_billion_laughs_refused(tmp_path: Path) -> None:
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    source = _docx_bytes("MARKER")
    xml = _with_doctype(source, f"<!DOCTYPE w:document [{entities}]>", "&i;")
    path = _rewrite(source, tmp_path / "laughs.docx", {"word/document.xml": xml})
    with pytest.raises(InputError, match="declares a DTD"):
        read_docx(path)


def test_python_docx_parser_does_not_resolve_entities(tmp_path: Path) -> None:
    """The safety net under the DTD refusal: python-docx's own lxml parser."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:t [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        f'<w:t xmlns:w="{W_NS}">a&xxe;b</w:t>'
    ).encode()
    element = parse_xml(xml)
    assert SECRET not in "".join(str(text) for text in element.itertext())
    assert SECRET not in element.xml
