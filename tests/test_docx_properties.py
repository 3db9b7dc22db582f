"""Property tests on generated Word files: any paragraphs (runs, breaks, tabs, bookmarks) and
tables (merged cells included) load without an error, keep every letter they hold and account
for every line."""

from __future__ import annotations

import contextlib
import re
import unicodedata
from pathlib import Path
from typing import Any

import docx
from docx.exceptions import InvalidSpanError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plankg.errors import InputError
from plankg.loaders import load_source
from plankg.loaders.blocks import render
from plankg.loaders.sources import read_blocks

_FRAGMENTS = [
    "ỦY BAN NHÂN DÂN", "PHƯỜNG ĐOÀN KẾT", "Số: 12/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc", "Đoàn Kết, ngày 3 tháng 5 năm 2026", "KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU",
    "II. NHIỆM VỤ", "1. Sở Y tế chủ trì, phối hợp Sở Tài chính; hoàn thành Quý III/2026.",
    "Căn cứ Kế hoạch số 3045/KH-UBND ngày 22/4/2026 của UBND tỉnh Lai Châu;", "a) Tỷ lệ che phủ rừng đạt 45,83%",
    "STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", "Thường xuyên", "Năm 2026",
    "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nơi nhận:", "Nguyễn Văn A", "Phụ lục",
]
_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
_ALPHABET = _LETTERS + _LETTERS.upper() + "0123456789 .,;:()/-%"
_text = st.one_of(st.sampled_from(_FRAGMENTS), st.text(alphabet=_ALPHABET, max_size=30))


@st.composite
def _tables(draw: Any) -> tuple[str, Any]:
    rows, cols = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    cells = draw(st.lists(st.lists(_text, min_size=cols, max_size=cols), min_size=rows, max_size=rows))
    merges = draw(st.lists(st.tuples(st.integers(0, rows - 1), st.integers(0, cols - 1), st.booleans()), max_size=2))
    return "table", (cells, merges)


# A paragraph of runs: each run's text, whether it is bold, and what follows it (nothing, a
# line break, a tab, or a bookmark around the next run).
_runs = st.lists(st.tuples(_text, st.booleans(), st.sampled_from(["", "br", "tab", "bookmark"])), min_size=1,
                 max_size=4)
_documents = st.lists(st.one_of(st.tuples(st.just("p"), _text), st.tuples(st.just("runs"), _runs), _tables()),
                      min_size=1, max_size=12)


def _add_runs(document: Any, runs: list[tuple[str, bool, str]]) -> None:
    paragraph = document.add_paragraph()
    for n, (text, bold, after) in enumerate(runs):
        run = paragraph.add_run(text)
        run.bold = bold
        if after == "br":
            run.add_break()
        elif after == "tab":
            run.add_tab()
        elif after == "bookmark":
            start = OxmlElement("w:bookmarkStart")
            start.set(qn("w:id"), str(n))
            start.set(qn("w:name"), f"_Toc{n}")
            end = OxmlElement("w:bookmarkEnd")
            end.set(qn("w:id"), str(n))
            paragraph._p.append(start)
            paragraph._p.append(end)


def _write(path: Path, parts: list[tuple[str, Any]]) -> list[str]:
    """Write ``parts`` as a Word file; return the texts it holds."""
    document = docx.Document()
    texts: list[str] = []
    for kind, value in parts:
        if kind == "p":
            document.add_paragraph(value)
            texts.append(value)
            continue
        if kind == "runs":
            _add_runs(document, value)
            texts.extend(text for text, _, _ in value)
            continue
        cells, merges = value
        table = document.add_table(rows=len(cells), cols=len(cells[0]))
        for r, row in enumerate(cells):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        for r, c, across in merges:  # a merged cell keeps the texts of the cells it covers
            other = (r, c + 1) if across else (r + 1, c)
            if other[0] < len(cells) and other[1] < len(cells[0]):
                with contextlib.suppress(InvalidSpanError):  # python-docx merges rectangles only
                    table.cell(r, c).merge(table.cell(*other))
        texts.extend(text for row in cells for text in row)
    document.save(str(path))
    return texts


def _letters(text: str) -> str:
    return re.sub(r"[\W_]", "", unicodedata.normalize("NFC", text)).casefold()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(_documents)
def test_a_generated_word_file_loses_nothing(tmp_path: Path, parts: list[tuple[str, Any]]) -> None:
    path = tmp_path / "plan.docx"
    texts = _write(path, parts)
    try:
        source = read_blocks(path)
    except InputError as exc:  # the one refusal a well-formed file may get
        assert "empty document" in str(exc) and not any(_letters(text) for text in texts)
        return
    rendered = render(source.blocks)
    # Every letter and digit of the file is in the rendered text, in order within each text...
    flat = _letters(rendered.text)
    for text in texts:
        assert _letters(text) in flat, text
    # ...and every rendered line with text is in a header, a section or the unparsed list.
    lines = rendered.text.split("\n")
    wanted = {n for n, line in enumerate(lines, start=1) if re.search(r"[^\W_]", line)}
    seen = {n for part in load_source(source).with_attachments() for n in part.accounted_lines()}
    assert sorted(wanted - seen) == []
