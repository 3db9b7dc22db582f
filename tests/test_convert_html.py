"""Saved web pages (plankg.loaders.html) and legacy word-processor files (plankg.loaders.convert)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from plankg.errors import InputError
from plankg.loaders.blocks import Paragraph, Table, render
from plankg.loaders.convert import convert_to_docx
from plankg.loaders.html import parse_html, read_html

HAS_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
posix_only = pytest.mark.skipif(os.name != "posix", reason="fake LibreOffice is a shell script")
REAL_DOC = (
    Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "prov_LamDong_KH-UBND_xa-phuong-khong-ma-tuy-2026.doc"
)


def paragraphs(blocks: tuple[object, ...]) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Paragraph)]


def tables(blocks: tuple[object, ...]) -> list[Table]:
    return [b for b in blocks if isinstance(b, Table)]


def texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


# --- HTML ---------------------------------------------------------------------------

HEADER_TABLE = """\
<table>
<tr><td>ỦY BAN NHÂN DÂN<br>TỈNH LAI CHÂU</td>
    <td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</b></td></tr>
<tr><td>Số: 12/KH-UBND</td><td><i>Lai Châu, ngày 30 tháng 3 năm 2026</i></td></tr>
</table>
"""


def page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}</head>\n<body>\n{body}</body></html>\n"


def write(tmp_path: Path, text: str, name: str = "page.html", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_header_table_two_columns(tmp_path: Path) -> None:
    body = HEADER_TABLE + "<p align=center><b>KẾ HOẠCH</b></p>\n<p>Triển khai chuyển đổi số</p>\n"
    source = read_html(write(tmp_path, page(body), name="kế hoạch.htm"))
    assert source.format == "html"
    assert source.name == "kế hoạch.htm"
    [header] = tables(source.blocks)
    assert texts(header) == [
        ["ỦY BAN NHÂN DÂN\nTỈNH LAI CHÂU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
        ["Số: 12/KH-UBND", "Lai Châu, ngày 30 tháng 3 năm 2026"],
    ]
    assert str(header.rows[1][0].where) == "line 7, table 1, row 2, cell 1"
    assert paragraphs(source.blocks) == ["KẾ HOẠCH", "Triển khai chuyển đổi số"]
    # The shared renderer unfolds it column by column for the header reader.
    assert render(source.blocks).text.splitlines()[:5] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LAI CHÂU",
        "Số: 12/KH-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]


def test_task_table_spans_and_nested_table(tmp_path: Path) -> None:
    body = (
        HEADER_TABLE
        + """\
<table border=1>
<thead><tr><th>STT</th><th>Nhiệm vụ</th><th>Chủ trì</th><th>Thời gian</th></tr></thead>
<tbody>
<tr><td colspan="4"><b>A. NHÓM CHUYỂN ĐỔI SỐ</b></td></tr>
<tr><td>1</td><td>Rà soát thủ tục</td><td rowspan="2">Sở Khoa học<br>và Công nghệ</td><td>Quý I</td></tr>
<tr><td>2</td><td>Kết nối<table><tr><td>trục</td><td>LGSP</td></tr></table></td><td>Quý II</td></tr>
<tr><td>3</td><td colspan=2>Tổng kết</td></tr>
</tbody></table>
"""
    )
    source = parse_html(page(body).encode(), name="p.html")
    _header, tasks = tables(source.blocks)
    assert texts(tasks) == [
        ["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"],
        ["A. NHÓM CHUYỂN ĐỔI SỐ"] * 4,
        ["1", "Rà soát thủ tục", "Sở Khoa học\nvà Công nghệ", "Quý I"],
        ["2", "Kết nối\ntrục | LGSP", "Sở Khoa học\nvà Công nghệ", "Quý II"],
        ["3", "Tổng kết", "Tổng kết", ""],
    ]
    group = tasks.rows[1]
    assert all(cell is group[0] for cell in group)  # one merged cell, in every position
    lead = tasks.rows[3][2]
    assert lead is tasks.rows[2][2] and (lead.where.row, lead.where.cell) == (3, 3)
    assert (tasks.where.table, tasks.rows[4][3].where.row, tasks.rows[4][3].where.cell) == (2, 5, 4)
    assert tasks.width == 4 and all(len(row) == 4 for row in tasks.rows)


def test_list_numbering(tmp_path: Path) -> None:
    body = (
        HEADER_TABLE
        + """\
<ol><li>Rà soát <b>thủ tục</b>.</li><li><p>Báo cáo.</p><ul><li>Hằng quý</li><li>Hằng năm</li></ul></li>
<li>Tổng kết</li></ol>
<ol start="3" type="a"><li>Sở Nội vụ</li><li value="7">Sở Tài chính</li></ol>
<ol type="I"><li>MỤC ĐÍCH</li><li>NHIỆM VỤ</li></ol>
<ul><li>Như trên;</li><li></li></ul>
"""
    )
    source = parse_html(page(body).encode(), name="p.html")
    assert paragraphs(source.blocks) == [
        "1. Rà soát thủ tục.",
        "2. Báo cáo.",
        "- Hằng quý",
        "- Hằng năm",
        "3. Tổng kết",
        "c. Sở Nội vụ",
        "g. Sở Tài chính",
        "I. MỤC ĐÍCH",
        "II. NHIỆM VỤ",
        "- Như trên;",
    ]


def test_br_splits_paragraphs_and_lines_are_kept(tmp_path: Path) -> None:
    body = (
        HEADER_TABLE
        + "<p>KẾ HOẠCH<br/>Triển khai<br><br>\nnăm&nbsp;2026</p>\n<div>Thực hiện <span>Nghị quyết</span></div>\n"
    )
    source = parse_html(page(body).encode(), name="p.html")
    found = [(b.text, b.where.line) for b in source.blocks if isinstance(b, Paragraph)]
    assert found == [("KẾ HOẠCH", 9), ("Triển khai", 9), ("năm 2026", 10), ("Thực hiện Nghị quyết", 11)]


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="windows-1258">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">',
        "",  # no declaration: not UTF-8, so cp1258
    ],
)
def test_charset_windows_1258(tmp_path: Path, head: str) -> None:
    # cp1258 writes most tone marks as combining characters: "ồ" is "ô" + U+0300.
    text = page("<p>Lâm \u0110\u00f4\u0300ng, ng\u00e0y 5 th\u00e1ng 2 n\u0103m 2026</p>", head=head)
    source = read_html(write(tmp_path, text, encoding="cp1258"))
    assert paragraphs(source.blocks) == ["Lâm Đồng, ngày 5 tháng 2 năm 2026"]


def test_charset_utf8_bom_and_misdeclared(tmp_path: Path) -> None:
    text = page("<p>Lâm Đồng</p>", head='<meta charset="windows-1258">')
    assert paragraphs(parse_html(text.encode("utf-8-sig"), name="a.html").blocks) == ["Lâm Đồng"]
    # Re-saved as UTF-8 with the old declaration left in place.
    assert paragraphs(parse_html(text.encode("utf-8"), name="a.html").blocks) == ["Lâm Đồng"]


def test_scripts_nav_and_hidden_removed_sidebar_left_out(tmp_path: Path) -> None:
    body = f"""\
<script>document.write("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")</script>
<style>p {{ color: red }}</style><noscript>Bật JavaScript</noscript>
<form id="form1" method="post">
<header><a href="/">THƯ VIỆN PHÁP LUẬT</a></header>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/vb">Văn bản</a></li></ul></nav>
<div class="main-menu"><a href="/tin">Tin tức</a></div>
<div id="wrap">
 <div class="doc">{HEADER_TABLE}
  <p>KẾ HOẠCH</p><p style="display: none">bản ẩn</p><p hidden>cũng ẩn</p>
  <p>Nội dung<button>In</button><iframe src="x"></iframe><svg><text>vẽ</text></svg></p>
 </div>
 <div class="related"><h3>Văn bản liên quan</h3>
  <ul><li><a href="/1">Quyết định 1/QĐ-UBND về tổ chức thực hiện nhiệm vụ năm 2026</a></li>
      <li><a href="/2">Kế hoạch 2/KH-UBND về chuyển đổi số giai đoạn 2026 - 2030</a></li></ul></div>
</div>
<footer>Bản quyền thuộc THƯ VIỆN PHÁP LUẬT</footer>
</form>
"""
    source = parse_html(page(body).encode(), name="p.html")
    assert paragraphs(source.blocks) == ["KẾ HOẠCH", "Nội dung"]
    assert len(tables(source.blocks)) == 1


def test_banner_kept_when_no_header_line(tmp_path: Path) -> None:
    body = "<div>CỔNG THÔNG TIN ĐIỆN TỬ</div><nav>Trang chủ</nav><p>Thông báo kết luận</p>"
    source = parse_html(page(body).encode(), name="p.html")
    assert paragraphs(source.blocks) == ["CỔNG THÔNG TIN ĐIỆN TỬ", "Thông báo kết luận"]


@pytest.mark.parametrize(
    "text",
    [
        page("<script>var a = 1;</script><nav>Trang chủ</nav><p> &nbsp; </p><table><tr><td></td></tr></table>"),
        "<frameset><frame src='a.html'></frameset>",
        "  \n",
        "",
    ],
)
def test_page_without_text(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        read_html(path)
    assert info.value.path == str(path)
    assert info.value.message in ("no document text in HTML page", "empty file")


def test_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    with path.open("wb") as f:
        f.truncate(20_000_001)  # sparse: refused by size before reading
    with pytest.raises(InputError, match="size limit"):
        read_html(path)
    small = write(tmp_path, page("<p>Số: 1/KH-UBND</p>" * 100), name="small.html")
    with pytest.raises(InputError, match="size limit"):
        read_html(small, max_bytes=1000)


def test_parser_limits(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="exceeds the parser's limits: Excessive depth"):
        parse_html(page("<div>" * 300 + "Số: 1/KH-UBND").encode(), name="deep.html")
    wide = "<table>" + "<tr><td colspan=5000>x</td></tr>" * 1001 + "</table>"
    with pytest.raises(InputError, match="table too large"):
        parse_html(page(wide).encode(), name="wide.html")
    # Nesting within libxml2's limit but past the recursive walk's is read as text.
    deep = "<p>Số: 1/KH-UBND</p>" + "<div>" * 200 + "sâu" + "</div>" * 200 + "<p>sau</p>"
    assert paragraphs(parse_html(page(deep).encode(), name="deep.html").blocks) == ["Số: 1/KH-UBND", "sâu", "sau"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_html(tmp_path / "absent.html")


# --- LibreOffice conversion ---------------------------------------------------------

OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
# Vietnamese as RTF \\u escapes (signed 16-bit code points, "?" the ANSI fallback).
RTF = (
    r"{\rtf1\ansi\ansicpg1258\deff0{\fonttbl{\f0 Times New Roman;}}"
    r"\pard\qc\b K\u7870? HO\u7840?CH\b0\par"
    r"\pard T\u7881?nh L\u226?m \u272?\u7891?ng: s\u7889? h\u243?a h\u7891? s\u417?\par}"
)


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Triển khai chuyển đổi số tỉnh Lâm Đồng")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Sở Nội vụ"
    table.rows[0].cells[1].text = "Quý I/2026"
    document.save(str(path))


@needs_soffice
def test_convert_odt_and_rtf(tmp_path: Path) -> None:
    source = tmp_path / "made.docx"
    make_docx(source)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "odt", "--outdir",
         str(tmp_path), str(source)],
        check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=180,
    )  # fmt: skip
    # Names with spaces, Vietnamese letters and a leading "-" never reach the command line.
    odt = tmp_path / "-kế hoạch số 1.odt"
    (tmp_path / "made.odt").rename(odt)
    text = docx_text(convert_to_docx(odt))
    assert "Triển khai chuyển đổi số tỉnh Lâm Đồng" in text and "Quý I/2026" in text

    rtf = tmp_path / "kế hoạch.RTF"
    rtf.write_text(RTF, encoding="ascii")
    text = docx_text(convert_to_docx(rtf))
    assert "KẾ HOẠCH" in text and "Tỉnh Lâm Đồng: số hóa hồ sơ" in text


@needs_soffice
@pytest.mark.skipif(not REAL_DOC.exists(), reason="shared real documents are not available")
def test_convert_real_legacy_doc() -> None:
    started = time.perf_counter()
    data = convert_to_docx(REAL_DOC)
    elapsed = time.perf_counter() - started
    text = docx_text(data)
    assert "Lâm Đồng" in text and "KẾ HOẠCH" in text
    assert elapsed < 120


def test_convert_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "kế hoạch.doc"
    doc.write_bytes(OLE_HEAD)
    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("PLANKG_SOFFICE", raising=False)
    with pytest.raises(InputError) as info:
        convert_to_docx(doc)
    assert info.value.path == str(doc)
    assert info.value.message == (
        "cannot read .doc without LibreOffice: install it (Debian/Ubuntu: apt install libreoffice-writer-nogui; "
        "macOS: brew install --cask libreoffice) or save the file as .docx"
    )
    monkeypatch.setenv("PLANKG_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(InputError, match=r"PLANKG_SOFFICE=.*libreoffice-writer-nogui"):
        convert_to_docx(doc)


def fake_soffice(tmp_path: Path, script: str) -> Path:
    program = tmp_path / "fake-soffice"
    program.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    program.chmod(0o755)
    return program


@posix_only
def test_convert_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "a.doc"
    doc.write_bytes(OLE_HEAD)
    monkeypatch.setenv(
        "PLANKG_SOFFICE", str(fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1\n"))
    )
    with pytest.raises(InputError, match=r"exit status 1\): Error: source file could not be loaded"):
        convert_to_docx(doc)
    monkeypatch.setenv("PLANKG_SOFFICE", str(fake_soffice(tmp_path, "exit 0\n")))
    with pytest.raises(InputError, match=r"could not convert the \.doc file"):
        convert_to_docx(doc)


@posix_only
def test_convert_timeout_kills_process_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "a.doc"
    doc.write_bytes(OLE_HEAD)
    pid_file = tmp_path / "child.pid"
    # Like soffice's launcher: the real work happens in a child process.
    script = f"sleep 60 &\necho $! > '{pid_file}'\nwait\n"
    monkeypatch.setenv("PLANKG_SOFFICE", str(fake_soffice(tmp_path, script)))
    started = time.perf_counter()
    with pytest.raises(InputError, match=r"did not convert the \.doc file within 0\.5 s"):
        convert_to_docx(doc, timeout=0.5)
    assert time.perf_counter() - started < 10
    child = int(pid_file.read_text())
    for _ in range(50):  # the killed child is reaped by init
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the converter's child process survived the timeout")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF-1.4", "cannot convert .pdf"),
        ("a.doc", b"\x00\x01 random bytes", "not a .doc file"),
        ("a.odt", b"{\\rtf1 ...}", "not a .odt file"),
        ("a.rtf", b"PK\x03\x04", "not a .rtf file"),
        ("a.doc", b"", "empty file"),
    ],
)
def test_convert_refuses_before_running(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        convert_to_docx(path)
