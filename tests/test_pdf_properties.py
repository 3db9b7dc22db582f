"""Property tests on generated PDFs: any text laid out in lines, rules and boxes, on any
number of pages, is read without losing a word; any damage to a PDF is an ``InputError``
or a record, never a traceback or a hang.

PDFs are written with fpdf2 and the DejaVu Sans font (skipped when either is missing).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from plankg.errors import InputError
from plankg.loaders import load_source
from plankg.loaders.blocks import Paragraph, Table
from plankg.loaders.pdf import read_pdf
from plankg.normalize import nfc

fpdf = pytest.importorskip("fpdf")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
pytestmark = pytest.mark.skipif(not FONT.exists(), reason="DejaVu Sans font not installed")

# Words of plan text, with every kind of Vietnamese letter, digits and the punctuation of
# numbers and dates; a line is one to eight of them.
_WORDS = ["Kế", "hoạch", "Ủy", "ban", "nhân", "dân", "phường", "Đoàn", "Kết", "Sở", "Tài", "chính", "chủ", "trì",
          "phối", "hợp", "năm", "2026", "Quý", "III/2026", "12/KH-UBND", "06-NQ/TW", "45,83%", "ỨNG", "DỤNG",
          "thường", "xuyên", "a)", "1.", "-", "+", "(1)", "tỷ", "lệ", "nguyễn", "ưu", "tiên"]
_line = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8).map(" ".join)
# One placed line: its text, left indent (pt) and font size.
_placed = st.tuples(_line, st.integers(0, 200), st.sampled_from([9, 11, 12, 13, 14]))
# A page: its lines top to bottom, and boxes (x, y, w, h in pt) drawn over the text area.
_boxes = st.lists(st.tuples(st.integers(40, 500), st.integers(60, 760), st.integers(1, 300), st.integers(1, 200)),
                  max_size=4)
_pages = st.lists(st.tuples(st.lists(_placed, min_size=1, max_size=15), _boxes), min_size=1, max_size=2)


def _write(pages: list[tuple[list[tuple[str, int, int]], list[tuple[int, int, int, int]]]], path: Path) -> None:
    pdf = fpdf.FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", fname=str(FONT))
    for lines, boxes in pages:
        pdf.add_page()
        y = 60.0
        for text, indent, size in lines:
            pdf.set_font("DejaVu", size=size)
            pdf.set_xy(50 + indent, y)
            pdf.cell(0, size + 2, text)
            y += size + 10
        for x, top, width, height in boxes:
            pdf.rect(x, top, width, height)
    pdf.output(str(path))


def _words(source_blocks: tuple[object, ...]) -> list[str]:
    words: list[str] = []
    for block in source_blocks:
        if isinstance(block, Paragraph):  # "|" parts the cells of a repeated table header
            words.extend(w for w in block.text.split() if w != "|")
        elif isinstance(block, Table):
            # A merged cell is repeated at every grid position it covers, with its own place.
            cells = {cell.where: cell.text for row in block.rows for cell in row}
            words.extend(w for text in cells.values() for w in text.split())
    return words


# No shrinking: each example writes and reads a PDF, and shrinking one took minutes; the
# failing example is printed as generated, and replays.
@settings(max_examples=60, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_pages)
def test_every_word_of_a_generated_pdf_is_read(tmp_path: Path, pages: list) -> None:  # type: ignore[type-arg]
    """Whatever the layout, boxes and page count, every word drawn is in a block (body,
    table cell or furniture), and the whole file loads into a record."""
    path = tmp_path / "generated.pdf"
    _write(pages, path)
    drawn = sorted(w for lines, _ in pages for text, _, _ in lines for w in text.split())
    if not any(ch.isalpha() for word in drawn for ch in word):
        with pytest.raises(InputError, match="no text layer"):  # page numbers alone: nothing to read
            read_pdf(path)
        return
    source = read_pdf(path)
    read = _words(source.blocks)
    # Cells and wrapped lines may glue or split a word at a rule, never lose its letters.
    assert "".join(sorted("".join(read))) == "".join(sorted(nfc("".join(drawn))))
    record = load_source(source)
    assert record.document.id


_VALID: dict[str, bytes] = {}


def _valid_pdf(tmp_path: Path) -> bytes:
    if "plan" not in _VALID:
        path = tmp_path / "valid.pdf"
        _write([([("KẾ HOẠCH", 180, 14), ("Thực hiện Nghị quyết số 06-NQ/TW", 0, 12),
                  ("1. Sở Tài chính chủ trì, năm 2026", 0, 12)], [(50, 120, 400, 40)])], path)
        _VALID["plan"] = path.read_bytes()
    return _VALID["plan"]


# Damage: cut the file, overwrite a run of bytes, or insert junk, at any offset.
_damage = st.one_of(
    st.tuples(st.just("cut"), st.floats(0, 1), st.binary(max_size=0)),
    st.tuples(st.just("overwrite"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(_damage, min_size=1, max_size=3))
def test_a_damaged_pdf_is_an_input_error_or_a_record(tmp_path: Path, damage: list[tuple[str, float, bytes]]) -> None:
    data = bytearray(_valid_pdf(tmp_path))
    for kind, where, junk in damage:
        at = int(where * len(data))
        if kind == "cut":
            del data[at:]
        elif kind == "overwrite":
            data[at:at + len(junk)] = junk
        else:
            data[at:at] = junk
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(data))
    start = time.perf_counter()
    try:
        record = load_source(read_pdf(path))
    except InputError as exc:
        assert exc.path == str(path)
        assert "Traceback" not in str(exc)
    else:
        assert record.document.id
    assert time.perf_counter() - start < 10
