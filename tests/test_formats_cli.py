"""`plankg parse` on a batch mixing every input format with broken files of each.

Each broken file gives one ``Error:`` line naming it, the exit status is 1, and every
good file of the batch is still parsed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import fpdf
import pytest
from click.testing import CliRunner

from plankg.cli import cli

PLAN = "Số: 12/KH-UBND\nKẾ HOẠCH\nThử nghiệm\n1. Sở Y tế chủ trì, hoàn thành trong năm 2026.\n"


def _docx_bytes() -> bytes:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    table.cell(1, 0).text = "Số: 7/KH-UBND"
    table.cell(1, 1).text = "Lâm Đồng, ngày 2 tháng 3 năm 2026"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Cải cách hành chính năm 2026")
    document.add_paragraph("1. Sở Nội vụ chủ trì, hoàn thành trong quý II năm 2026.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(_docx_bytes())) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        with new.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            for _ in range(60):
                member.write(bytes(1 << 20))
    return path


def _blank_pdf(path: Path, *, password: str | None = None) -> Path:
    pdf = fpdf.FPDF()
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.add_page()
    pdf.rect(20, 20, 150, 200, style="F")  # a page with no text: what a scan looks like to a reader
    pdf.output(str(path))
    return path


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-good.txt").write_text(PLAN, encoding="utf-8")
    (folder / "b-good.docx").write_bytes(_docx_bytes())
    (folder / "c-good.html").write_text(
        "<html><head><meta charset='utf-8'></head><body><nav>Trang chủ</nav><div>"
        + "".join(f"<p>{line}</p>" for line in PLAN.splitlines()) + "</div></body></html>", encoding="utf-8")
    _zip_bomb(folder / "d-bomb.docx")
    (folder / "e-corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj garbage")
    _blank_pdf(folder / "f-scan.pdf")
    _blank_pdf(folder / "g-locked.pdf", password="secret")
    (folder / "h-empty.html").write_text("<html><body><script>var x = 1;</script></body></html>", encoding="utf-8")
    (folder / "i-old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    return folder


def test_bad_files_give_one_error_line_each_and_the_batch_goes_on(
        batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANKG_SOFFICE", str(batch / "no-libreoffice-here"))  # as on a machine without it
    result = CliRunner().invoke(cli, ["parse", str(batch)])
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert [line.split(": ", 2)[1] for line in errors] == [
        str(batch / name) for name in
        ("d-bomb.docx", "e-corrupt.pdf", "f-scan.pdf", "g-locked.pdf", "h-empty.html", "i-old.doc")]
    assert all(line.startswith("Error: ") for line in errors)
    assert "zip bomb" in errors[0]
    assert "corrupt PDF" in errors[1] or "not a PDF" in errors[1]
    assert "no text layer" in errors[2] and "ocrmypdf" in errors[2]
    assert "encrypted PDF" in errors[3]
    assert "no document text" in errors[4]
    assert "LibreOffice" in errors[5] or "PLANKG_SOFFICE" in errors[5]
    assert "Traceback" not in result.output
    summaries = result.stdout
    assert "a-good.txt" in summaries and "12/KH-UBND" in summaries
    assert "b-good.docx" in summaries and "7/KH-UBND" in summaries and "UBND tỉnh Lâm Đồng" in summaries
    assert "c-good.html" in summaries


def test_word_header_table_and_html_page_give_the_same_record_as_text(batch: Path) -> None:
    result = CliRunner().invoke(cli, ["parse", "--json", str(batch / "a-good.txt"), str(batch / "c-good.html")])
    assert result.exit_code == 0, result.output
    import json

    text, html = json.loads(result.stdout)
    for key in ("type", "number", "title"):
        assert text["document"][key] == html["document"][key]
    assert [t["lead"] for t in text["tasks"]] == [t["lead"] for t in html["tasks"]] == [["Sở Y tế"]]
